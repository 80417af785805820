package dev.mbl.local.redshift;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.mbl.local.redshift.RowError.Problem;
import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The pure parts of COPY: reading delimited and JSON records, converting values, dates and times. */
class CopyReadingTest {
  private static final TargetColumn ID = new TargetColumn("id", "int4", "integer", -1, -1, 0, true, false);
  private static final TargetColumn NOTE = new TargetColumn("note", "varchar", "character varying(5)", 5, -1, 0,
      false, false);
  private static final TargetColumn AMOUNT = new TargetColumn("amount", "numeric", "numeric(6,2)", -1, 6, 2, false,
      false);
  private static final TargetColumn AT = new TargetColumn("at", "timestamp", "timestamp without time zone", -1, -1, 0,
      false, false);
  private static final TargetColumn DOC = new TargetColumn("doc", "jsonb", "jsonb", -1, -1, 0, false, false);

  private static CopyCommand copy(String options) {
    return ((SqlTranslator.Copy) SqlTranslator.translate("COPY t FROM 's3://b/k' IAM_ROLE default " + options))
        .command();
  }

  private static List<RawRecord> records(String text, String options) {
    List<RawRecord> records = new ArrayList<>();
    new DelimitedReader(text, copy(options)).forEachRemaining(records::add);
    return records;
  }

  @Test
  void delimited_csvWithQuotesHeaderAndCrlf_readsRecordsAndLines() {
    List<RawRecord> records = records("id,note\r\n1,\"a, \"\"b\"\"\"\r\n2,\"multi\nline\"\n\n3,\n", "CSV IGNOREHEADER 1");

    assertThat(records).extracting(RawRecord::fields).containsExactly(
        List.of("1", "a, \"b\""), List.of("2", "multi\nline"), List.of(""), List.of("3", ""));
    assertThat(records).extracting(RawRecord::line).containsExactly(2L, 3L, 5L, 6L);
    assertThat(records.get(0).raw()).isEqualTo("1,\"a, \"\"b\"\"\"");
  }

  @Test
  void delimited_textWithEscapeAndIgnoreBlankLines_splitsAtPipes() {
    List<RawRecord> records = records("1|a\\|b\n\n2|c\n", "ESCAPE IGNOREBLANKLINES");

    assertThat(records).extracting(RawRecord::fields).containsExactly(List.of("1", "a|b"), List.of("2", "c"));
  }

  @Test
  void delimited_unterminatedQuote_isAnUnreadableRecord() {
    RawRecord record = records("1,\"open\n", "CSV").get(0);

    assertThat(record.problem()).hasMessage("Unterminated quoted field");
  }

  @Test
  void json_auto_matchesKeysToColumnsExactlyOrIgnoringCase() {
    String text = "{\"id\": 1, \"NOTE\": \"x\", \"doc\": {\"a\": [1, 2]}}\n{\"id\": 2} {\"id\":3,\"note\":null}";
    List<RawRecord> exact = new ArrayList<>();
    new JsonReader(text, List.of(ID, NOTE, DOC), false).forEachRemaining(exact::add);
    List<RawRecord> ignoring = new ArrayList<>();
    new JsonReader(text, List.of(ID, NOTE, DOC), true).forEachRemaining(ignoring::add);

    assertThat(exact).extracting(RawRecord::fields).containsExactly(
        java.util.Arrays.asList("1", null, "{\"a\":[1,2]}"), java.util.Arrays.asList("2", null, null),
        java.util.Arrays.asList("3", null, null));
    assertThat(ignoring.get(0).fields()).containsExactly("1", "x", "{\"a\":[1,2]}");
    assertThat(exact).extracting(RawRecord::line).containsExactly(1L, 2L, 2L);
  }

  @Test
  void json_malformed_endsTheFileWithOneUnreadableRecord() {
    List<RawRecord> records = new ArrayList<>();
    new JsonReader("{\"id\": 1}\n{\"id\": oops}\n{\"id\": 3}", List.of(ID), false).forEachRemaining(records::add);

    assertThat(records).hasSize(2);
    assertThat(records.get(1).problem().code).isEqualTo(1224);
  }

  @Test
  void convert_typedValues() {
    ValueConverter converter = new ValueConverter(copy("CSV"));

    assertThat(converter.convert(ID, " 42 ")).isEqualTo(42);
    assertThat(converter.convert(AMOUNT, "12.345")).isEqualTo(new BigDecimal("12.34"));
    assertThat(converter.convert(AT, "2024-11-20T10:15:30.5+01:00"))
        .isEqualTo(LocalDateTime.parse("2024-11-20T09:15:30.500"));
    assertThat(converter.convert(DOC, "plain")).isEqualTo("\"plain\"");
    assertThat(converter.convert(DOC, "{\"a\":1}")).isEqualTo("{\"a\":1}");
    assertThat(converter.convert(NOTE, "")).isEqualTo("");
    assertThat(converter.convert(AMOUNT, "")).isNull();
    assertThat(converter.convert(AMOUNT, "  ")).isNull();
    assertThat(converter.convert(NOTE, "  ")).isEqualTo("  ");
    assertThat(converter.convert(NOTE, "\\N")).isNull();
  }

  @Test
  void convert_nullOptionsAndTruncation() {
    ValueConverter converter = new ValueConverter(copy("CSV NULL AS 'NA' EMPTYASNULL TRUNCATECOLUMNS ROUNDEC"));

    assertThat(converter.convert(NOTE, "NA")).isNull();
    assertThat(converter.convert(NOTE, "")).isNull();
    assertThat(converter.convert(NOTE, "héllo!")).isEqualTo("héll");
    assertThat(converter.convert(AMOUNT, "1.235")).isEqualTo(new BigDecimal("1.24"));
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "id|12a|1207|Invalid digit, Value 'a', Pos 2, Type: Integer",
      "id|99999999999|1204|Overflow, 99999999999 (Integer valid range -2147483648 to 2147483647)",
      "note|toolong|1204|String length exceeds DDL length",
      "amount|12345.6|1204|Numeric data overflow (result precision)",
      "at|20/11/2024|1206|Invalid timestamp format or value [YYYY-MM-DD HH24:MI:SS]",
      "doc|\uFFFD|1220|String contains invalid or unsupported UTF8 codepoints"})
  void convert_badValue_raisesRedshiftsLoadError(String column, String value, int code, String reason) {
    TargetColumn target = List.of(ID, NOTE, AMOUNT, AT, DOC).stream().filter(c -> c.name().equals(column))
        .findFirst().orElseThrow();

    assertThatThrownBy(() -> new ValueConverter(copy("CSV")).convert(target, value))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code).isEqualTo(code))
        .hasMessage(reason);
  }

  @Test
  void convert_missingValueForNotNull_is1213() {
    assertThatThrownBy(() -> new ValueConverter(copy("CSV")).convert(ID, ""))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.code).isEqualTo(1213))
        .hasMessage("Missing data for not-null field");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "2024-11-20 10:15:30|auto|2024-11-20T10:15:30Z",
      "2024-11-20T10:15:30.123456Z|auto|2024-11-20T10:15:30.123456Z",
      "2024-11-20 10:15:30+0200|auto|2024-11-20T08:15:30Z",
      "2024-11-20|auto|2024-11-20T00:00:00Z",
      "1732097730|epochsecs|2024-11-20T10:15:30Z",
      "1732097730123|epochmillisecs|2024-11-20T10:15:30.123Z",
      "20.11.2024 10:15|DD.MM.YYYY HH24:MI|2024-11-20T10:15:00Z",
      "11/20/2024 10:15:30.25|MM/DD/YYYY HH:MI:SS.SS|2024-11-20T10:15:30.250Z"})
  void timestamp_formats(String text, String format, String expected) {
    assertThat(DateTimes.timestamp(text, format)).isEqualTo(Instant.parse(expected));
  }

  @Test
  void date_autoAndCustom() {
    assertThat(DateTimes.date("2024/11/20", null)).isEqualTo(LocalDate.of(2024, 11, 20));
    assertThat(DateTimes.date("20-11-2024", "DD-MM-YYYY")).isEqualTo(LocalDate.of(2024, 11, 20));
    assertThatThrownBy(() -> DateTimes.date("2024-02-30", null)).isInstanceOf(IllegalArgumentException.class);
  }

  /**
   * "COPY from columnar data formats": Parquet columns map by position and the counts must match;
   * FILLRECORD (a listed parameter) lets trailing columns be missing. The text is Spectrum's.
   */
  @Test
  void parquetMapping_countsMustMatchUnlessFillRecordCoversMissingColumns() {
    String url = "https://s3.us-east-1.amazonaws.com/b/k.parquet";

    assertThat(ParquetRecords.mapping(3, 3, false, url)).containsExactly(0, 1, 2);
    assertThat(ParquetRecords.mapping(3, 2, true, url)).containsExactly(0, 1, -1);
    assertThatThrownBy(() -> ParquetRecords.mapping(3, 2, false, url)).isInstanceOf(CopyFailedException.class)
        .hasMessageContaining("Unmatched number of columns between table and file. Table columns: 3, Data columns: 2, "
            + "File name: " + url);
    assertThatThrownBy(() -> ParquetRecords.mapping(2, 3, true, url)).isInstanceOf(CopyFailedException.class)
        .hasMessageContaining("Table columns: 2, Data columns: 3");
  }

  /** "Column mapping options": the rules of a COPY column list, before any file is read. */
  @Test
  void loadedColumns_columnListRules() {
    TargetColumn identity = new TargetColumn("id", "int8", "bigint", -1, -1, 0, true, true, true, true);
    TargetColumn byDefault = new TargetColumn("g", "int4", "integer", -1, -1, 0, true, true, false, true);
    TargetColumn required = new TargetColumn("name", "varchar", "character varying(5)", 5, -1, 0, true, false);
    TargetColumn defaulted = new TargetColumn("src", "varchar", "character varying(5)", 5, -1, 0, true, false, false,
        true);
    List<TargetColumn> all = List.of(identity, byDefault, required, defaulted);

    assertThat(CopyLoader.loadedColumns(copy(List.of(), false), all, "t")).containsExactly(byDefault, required,
        defaulted);
    assertThat(CopyLoader.loadedColumns(copy(List.of("name"), false), all, "t")).containsExactly(required);
    assertThatThrownBy(() -> CopyLoader.loadedColumns(copy(List.of("src"), false), all, "t"))
        .hasMessage("NOT NULL column without DEFAULT must be included in column list");
    assertThatThrownBy(() -> CopyLoader.loadedColumns(copy(List.of("id", "name"), false), all, "t"))
        .hasMessage("cannot set an identity column to a value");
    assertThatThrownBy(() -> CopyLoader.loadedColumns(copy(List.of("name"), true), all, "t"))
        .hasMessageStartingWith("EXPLICIT_IDS cannot be specified when the IDENTITY column \"id\" is omitted");
    assertThat(CopyLoader.loadedColumns(copy(List.of("id", "name"), true), all, "t")).containsExactly(identity,
        required);
  }

  private static CopyCommand copy(List<String> columns, boolean explicitIds) {
    return new CopyCommand("t", columns, "s3://b/m", true, CopyCommand.Format.CSV, ',', '"', false, 0,
        CopyCommand.Compression.NONE, null, null, "", null, 0,
        explicitIds ? java.util.Set.of(CopyCommand.Flag.EXPLICIT_IDS) : java.util.Set.of());
  }
}
