package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class CopyOptionsTest {

  @Test
  void parse_lowerCaseOptions_normalisedClauses() {
    assertThat(CopyOptions.parse("format as csv ignoreheader 1 gzip").clauses())
        .containsExactly("FORMAT AS CSV", "IGNOREHEADER 1", "GZIP");
  }

  @Test
  void parse_nullOrBlank_isNone() {
    assertThat(CopyOptions.parse(null)).isEqualTo(CopyOptions.NONE);
    assertThat(CopyOptions.parse(" \t\n")).isEqualTo(CopyOptions.NONE);
    assertThat(CopyOptions.NONE.format()).isEqualTo("TEXT");
    assertThat(CopyOptions.NONE.toSql()).isEmpty();
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "CSV|FORMAT AS CSV|CSV",
      "FORMAT CSV|FORMAT AS CSV|CSV",
      "Format As Csv|FORMAT AS CSV|CSV",
      "CSV QUOTE '\"'|FORMAT AS CSV QUOTE AS '\"'|CSV",
      "FORMAT AS CSV QUOTE AS '%'|FORMAT AS CSV QUOTE AS '%'|CSV",
      "CSV QUOTE ''''|FORMAT AS CSV QUOTE AS ''''|CSV",
      "JSON 'auto'|FORMAT AS JSON 'auto'|JSON",
      "FORMAT AS JSON 'AUTO'|FORMAT AS JSON 'auto'|JSON",
      "json ' Auto   IgnoreCase '|FORMAT AS JSON 'auto ignorecase'|JSON",
      "PARQUET|FORMAT AS PARQUET|PARQUET",
      "FORMAT AS parquet|FORMAT AS PARQUET|PARQUET",
      "FORMAT ORC|FORMAT AS ORC|ORC",
      "DELIMITER ','|DELIMITER ','|TEXT"})
  void parse_eachFormat_normalisedWithFormat(String options, String clause, String format) {
    CopyOptions parsed = CopyOptions.parse(options);

    assertThat(parsed.clauses()).containsExactly(clause);
    assertThat(parsed.format()).isEqualTo(format);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "DELIMITER ':'|DELIMITER ':'",
      "delimiter as ';'|DELIMITER ';'",
      "DELIMITER ''''|DELIMITER ''''",
      "IGNOREHEADER AS 2|IGNOREHEADER 2",
      "IGNOREHEADER 007|IGNOREHEADER 7",
      "IGNOREHEADER 0|IGNOREHEADER 0",
      "gzip|GZIP",
      "BZIP2|BZIP2",
      "ZSTD|ZSTD",
      "LZOP|LZOP",
      "TIMEFORMAT 'AUTO'|TIMEFORMAT 'auto'",
      "TIMEFORMAT AS 'epochsecs'|TIMEFORMAT 'epochsecs'",
      "TIMEFORMAT 'EpochMilliSecs'|TIMEFORMAT 'epochmillisecs'",
      "TIMEFORMAT 'YYYY-MM-DD HH:MI:SS'|TIMEFORMAT 'YYYY-MM-DD HH:MI:SS'",
      "DATEFORMAT 'auto'|DATEFORMAT 'auto'",
      "DATEFORMAT AS 'DD/MM/YYYY'|DATEFORMAT 'DD/MM/YYYY'",
      "NULL AS ''|NULL AS ''",
      "null as 'it''s null'|NULL AS 'it''s null'",
      "ACCEPTINVCHARS|ACCEPTINVCHARS",
      "ACCEPTINVCHARS AS '?'|ACCEPTINVCHARS AS '?'",
      "ACCEPTINVCHARS '^'|ACCEPTINVCHARS AS '^'",
      "MAXERROR 10|MAXERROR 10",
      "MAXERROR AS 100000|MAXERROR 100000",
      "REGION 'US-East-1'|REGION 'us-east-1'",
      "REGION AS 'us-gov-west-1'|REGION 'us-gov-west-1'",
      "BLANKSASNULL|BLANKSASNULL",
      "EMPTYASNULL|EMPTYASNULL",
      "TRUNCATECOLUMNS|TRUNCATECOLUMNS",
      "ACCEPTANYDATE|ACCEPTANYDATE",
      "FILLRECORD|FILLRECORD",
      "IGNOREBLANKLINES|IGNOREBLANKLINES",
      "TRIMBLANKS|TRIMBLANKS",
      "ROUNDEC|ROUNDEC",
      "escape|ESCAPE",
      "REMOVEQUOTES|REMOVEQUOTES",
      "explicit_ids|EXPLICIT_IDS"})
  void parse_eachAllowedOption_normalisedClause(String options, String clause) {
    assertThat(CopyOptions.parse(options).clauses()).containsExactly(clause);
  }

  @Test
  void parse_tabDelimiter_keptAsRealTab() {
    assertThat(CopyOptions.parse("DELIMITER '\t'").clauses()).containsExactly("DELIMITER '\t'");
  }

  @Test
  void parse_manyOptions_keepOrderAndJoinWithSpaces() {
    CopyOptions options = CopyOptions.parse(
        "CSV QUOTE AS '\"' DELIMITER ',' IGNOREHEADER 1 GZIP TIMEFORMAT 'auto' NULL AS '' ACCEPTINVCHARS MAXERROR 5");

    assertThat(options.toSql()).isEqualTo("FORMAT AS CSV QUOTE AS '\"' DELIMITER ',' IGNOREHEADER 1 GZIP "
        + "TIMEFORMAT 'auto' NULL AS '' ACCEPTINVCHARS MAXERROR 5");
    assertThat(options.format()).isEqualTo("CSV");
  }

  @Test
  void parse_quoteInsideValue_staysInsideOneLiteral() {
    CopyOptions options = CopyOptions.parse("NULL AS 'x'' IAM_ROLE ''arn:aws:iam::1:role/evil'");

    assertThat(options.clauses()).containsExactly("NULL AS 'x'' IAM_ROLE ''arn:aws:iam::1:role/evil'");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "MANIFEST|COPY option MANIFEST is added by mbl, which always loads through a manifest it writes; fix: remove it",
      "IAM_ROLE 'arn:aws:iam::123456789012:role/x'|COPY option IAM_ROLE is set by mbl from copy.role_arn; "
          + "fix: remove it and put the role ARN in copy.role_arn",
      "COMPUPDATE ON|COPY option COMPUPDATE is set by mbl (COMPUPDATE OFF STATUPDATE OFF on the staging table); "
          + "fix: remove it",
      "STATUPDATE OFF|COPY option STATUPDATE is set by mbl (COMPUPDATE OFF STATUPDATE OFF on the staging table); "
          + "fix: remove it",
      "NOLOAD|COPY option NOLOAD would check the files without loading them, yet mark them loaded; fix: remove it",
      "SSH|COPY option SSH loads from remote hosts, and mbl loads only from S3 manifests; fix: remove it"})
  void parse_optionMblControls_rejectedWithReason(String options, String message) {
    assertThatThrownBy(() -> CopyOptions.parse("CSV " + options))
        .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"CREDENTIALS 'aws_access_key_id=AKIAEXAMPLE;aws_secret_access_key=s3cr3t'",
      "ACCESS_KEY_ID 'AKIAEXAMPLE' SECRET_ACCESS_KEY 's3cr3t'", "SECRET_ACCESS_KEY 's3cr3t'",
      "SESSION_TOKEN 's3cr3t'"})
  void parse_credentials_rejectedWithoutEchoingSecrets(String options) {
    assertThatThrownBy(() -> CopyOptions.parse(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageEndingWith(" would put credentials into the config and the SQL text; "
            + "fix: remove it and grant S3 access to the role in copy.role_arn")
        .hasMessageNotContaining("s3cr3t").hasMessageNotContaining("AKIAEXAMPLE");
  }

  @ParameterizedTest
  @ValueSource(strings = {"ENCRYPTED", "MASTER_SYMMETRIC_KEY 'c2VjcmV0a2V5'"})
  void parse_clientSideEncryption_rejectedWithoutEchoingKey(String options) {
    assertThatThrownBy(() -> CopyOptions.parse("GZIP " + options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining(" needs the client-side key in the COPY text, which mbl never writes into SQL; "
            + "fix: remove it and encrypt the files with SSE-S3 or SSE-KMS")
        .hasMessageNotContaining("c2VjcmV0a2V5");
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "CSV; DROP TABLE x|';' at position 4 would end the COPY statement; "
          + "fix: remove it: the options are one list of clauses",
      "CSV -- IGNOREHEADER 1|a comment at position 5 is not allowed in COPY options; fix: remove it",
      "CSV /* x */|a comment at position 5 is not allowed in COPY options; fix: remove it",
      "CSV 'unterminated|the quoted value at position 5 is not closed; "
          + "fix: end it with ' (write '' for a quote inside a value)",
      "CSV \"x\"|unexpected character '\"' at position 5; "
          + "fix: use only option keywords, whole numbers and values in single quotes",
      "CSV IGNOREHEADER -1|unexpected character '-' at position 18; "
          + "fix: use only option keywords, whole numbers and values in single quotes",
      "GZİP|unexpected character 'İ' at position 3; "
          + "fix: use only option keywords, whole numbers and values in single quotes",
      "IGNOREHEADER 1GZIP|a number at position 14 runs into a word; fix: separate them with a space",
      "CSV 'x'|a quoted value at position 5 does not follow an option that takes a value; "
          + "fix: put each value right after its option, e.g. IGNOREHEADER 1 or DELIMITER ','",
      "CSV 5|the number 5 at position 5 does not follow an option that takes a value; "
          + "fix: put each value right after its option, e.g. IGNOREHEADER 1 or DELIMITER ','",
      "CSV JSON 'auto'|two formats are given: CSV and JSON; fix: keep the one the files use",
      "FORMAT AS PARQUET FORMAT AS ORC|two formats are given: PARQUET and ORC; fix: keep the one the files use",
      "GZIP ZSTD|two compressions are given: GZIP and ZSTD; fix: keep the one the files use",
      // "COPY from columnar data formats": only ACCEPTINVCHARS, FILLRECORD and EXPLICIT_IDS (+ mbl's own).
      "PARQUET DELIMITER ','|COPY option DELIMITER cannot be used with FORMAT AS PARQUET: \"COPY from columnar data "
          + "formats\" (Amazon Redshift Database Developer Guide) lists only ACCEPTINVCHARS, FILLRECORD and "
          + "EXPLICIT_IDS besides FROM, IAM_ROLE, MANIFEST and STATUPDATE, which mbl sets; fix: remove DELIMITER",
      "ORC IGNOREHEADER 1|COPY option IGNOREHEADER cannot be used with FORMAT AS ORC: \"COPY from columnar",
      "GZIP PARQUET|COPY option GZIP cannot be used with FORMAT AS PARQUET: \"COPY from columnar",
      // "Data format parameters": CSV can't be used with FIXEDWIDTH, REMOVEQUOTES, or ESCAPE.
      "CSV ESCAPE|COPY option ESCAPE cannot be used with FORMAT AS CSV: \"Data format parameters\" (Amazon Redshift "
          + "Database Developer Guide) says CSV can't be used with FIXEDWIDTH, REMOVEQUOTES, or ESCAPE; "
          + "fix: remove ESCAPE (CSV handles quotes itself)",
      "REMOVEQUOTES FORMAT AS CSV|COPY option REMOVEQUOTES cannot be used with FORMAT AS CSV: \"Data format",
      "DELIMITER ',' QUOTE '\"'|QUOTE at position 15 does not follow CSV; "
          + "fix: write it right after CSV, e.g. FORMAT AS CSV QUOTE AS '\"'",
      "IGNOREHEADER 1 IGNOREHEADER 2|IGNOREHEADER is given twice; fix: keep one",
      "FORMAT AS AVRO 'auto'|FORMAT AS AVRO is not supported; "
          + "fix: use CSV, JSON 'auto', JSON 'auto ignorecase', PARQUET or ORC",
      "FORMAT AS|FORMAT needs a format: CSV, JSON 'auto', PARQUET or ORC, not the end of the options; "
          + "fix: complete FORMAT",
      "JSON 's3://bucket/jsonpaths.json'|JSON takes only 'auto' or 'auto ignorecase' here "
          + "(JSONPaths files are not supported); fix: write JSON 'auto' and name the JSON keys like the table's "
          + "columns",
      "JSON|JSON needs a value in single quotes, e.g. JSON 'auto', not the end of the options; fix: complete JSON",
      "DELIMITER 'ab'|DELIMITER takes one ASCII character; "
          + "fix: write e.g. DELIMITER ',' (a tab as a real tab character, \\t in the JSON string)",
      "DELIMITER 'é'|DELIMITER takes one ASCII character; "
          + "fix: write e.g. DELIMITER ',' (a tab as a real tab character, \\t in the JSON string)",
      "IGNOREHEADER 'one'|IGNOREHEADER needs a whole number, e.g. IGNOREHEADER 1, not a quoted value at position 14; "
          + "fix: complete IGNOREHEADER",
      "MAXERROR 100001|MAXERROR 100001 is too large; fix: use 0 to 100000",
      "IGNOREHEADER 99999999999999999999|IGNOREHEADER 99999999999999999999 is too large; fix: use 0 to 2147483647",
      "NULL '\\N'|NULL must be followed by AS; fix: write NULL AS 'string'",
      "ACCEPTINVCHARS AS|ACCEPTINVCHARS needs a value in single quotes, e.g. ACCEPTINVCHARS '?', "
          + "not the end of the options; fix: complete ACCEPTINVCHARS",
      "REGION 'mars-1'|REGION needs an AWS region name; fix: write e.g. REGION 'us-east-1', the region of the bucket",
      "TIMEFORMAT ''|TIMEFORMAT needs 1 to 100 characters; fix: write e.g. TIMEFORMAT 'auto'",
      "AS|'AS' is not an allowed COPY option; fix: use only "})
  void parse_disallowedOrContradictory_rejectedNamingTheOption(String options, String message) {
    assertThatThrownBy(() -> CopyOptions.parse(options))
        .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith(message);
  }

  @ParameterizedTest
  @ValueSource(strings = {"FIXEDWIDTH 'a:1'", "AVRO 'auto'", "SERIALIZETOJSON", "DROP", "IGNOREHEADERS 1"})
  void parse_unknownWord_rejectedListingAllowedOptions(String options) {
    String word = options.split(" ")[0];

    assertThatThrownBy(() -> CopyOptions.parse(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("'" + word + "' is not an allowed COPY option; fix: use only " + CopyOptionsParser.ALLOWED);
  }

  @Test
  void parse_backslashInValue_rejectedWithoutEchoingIt() {
    assertThatThrownBy(() -> CopyOptions.parse("NULL AS '\\N'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("the value of NULL contains a backslash at position 0, which Redshift and PostgreSQL read "
            + "differently in a string literal: remove it; fix: write the character itself (a tab as \\t in the "
            + "JSON string); backslash escapes are not supported");
  }

  @Test
  void parse_valueEndingInBackslash_cannotEscapeItsQuote() {
    assertThatThrownBy(() -> CopyOptions.parse("DATEFORMAT 'x\\' IAM_ROLE 'y'"))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("backslash");
  }

  @Test
  void parse_controlCharacterInValue_rejected() {
    assertThatThrownBy(() -> CopyOptions.parse("NULL AS 'a\nb'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("the value of NULL contains control character U+000A at position 1");
  }

  @Test
  void parse_overlongValue_rejected() {
    assertThatThrownBy(() -> CopyOptions.parse("TIMEFORMAT '" + "Y".repeat(101) + "'"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("TIMEFORMAT needs 1 to 100 characters; fix: write e.g. TIMEFORMAT 'auto'");
  }
}
