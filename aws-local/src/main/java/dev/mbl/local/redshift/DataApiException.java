package dev.mbl.local.redshift;

/**
 * An error the emulator answers as the Data API does: HTTP status 400 (or 500 for service
 * faults) and a JSON body {@code {"__type": type, "message": ...}}, which the SDK turns into the
 * exception class of that name.
 */
final class DataApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final String type;
  private final int status;
  private final String resourceId;

  private DataApiException(String type, int status, String message, String resourceId) {
    super(message);
    this.type = type;
    this.status = status;
    this.resourceId = resourceId;
  }

  static DataApiException validation(String message) {
    return new DataApiException("ValidationException", 400, message, null);
  }

  static DataApiException notFound(String message, String resourceId) {
    return new DataApiException("ResourceNotFoundException", 400, message, resourceId);
  }

  static DataApiException activeStatementsExceeded(String message) {
    return new DataApiException("ActiveStatementsExceededException", 400, message, null);
  }

  /** "Common Errors" (Data API reference): ThrottlingException, HTTP 400. */
  static DataApiException throttling() {
    return new DataApiException("ThrottlingException", 400, "The request was denied due to request throttling.", null);
  }

  static DataApiException unknownOperation(String message) {
    return new DataApiException("UnknownOperationException", 400, message, null);
  }

  static DataApiException serialization(String message) {
    return new DataApiException("SerializationException", 400, message, null);
  }

  static DataApiException internal(String message) {
    return new DataApiException("InternalServerException", 500, message, null);
  }

  String type() {
    return type;
  }

  int status() {
    return status;
  }

  /** The statement id a ResourceNotFoundException is about, else null. */
  String resourceId() {
    return resourceId;
  }
}
