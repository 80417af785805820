package dev.mbl.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Which COPY options each format takes, as the COPY documents say. */
class CopyOptionsFormatTest {

  // "COPY from columnar data formats": only ACCEPTINVCHARS, FILLRECORD, FROM, IAM_ROLE, CREDENTIALS,
  // STATUPDATE, MANIFEST, ACCESS_KEY_ID/SECRET_ACCESS_KEY/SESSION_TOKEN and EXPLICIT_IDS.
  @ParameterizedTest
  @ValueSource(strings = {"MAXERROR 10", "ACCEPTANYDATE", "REGION 'us-east-1'", "TRUNCATECOLUMNS",
      "TIMEFORMAT 'auto'", "DATEFORMAT 'auto'", "NULL AS ''", "BLANKSASNULL", "EMPTYASNULL", "GZIP", "BZIP2",
      "ZSTD", "LZOP", "DELIMITER ','", "IGNOREHEADER 1", "IGNOREBLANKLINES", "TRIMBLANKS", "ROUNDEC", "ESCAPE",
      "REMOVEQUOTES"})
  void parse_columnarWithUnlistedOption_rejectedNamingOptionFormatAndDocument(String option) {
    String name = option.startsWith("NULL") ? "NULL AS" : option.split(" ")[0];
    for (String format : new String[] {"PARQUET", "ORC"}) {
      assertThatThrownBy(() -> CopyOptions.parse("FORMAT AS " + format + " " + option))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessageStartingWith("COPY option " + name + " cannot be used with FORMAT AS " + format
              + ": \"COPY from columnar data formats\" (Amazon Redshift Database Developer Guide) lists only "
              + "ACCEPTINVCHARS, FILLRECORD and EXPLICIT_IDS")
          .hasMessageContaining("; fix: remove " + name);
    }
  }

  @Test
  void parse_parquetWithMaxerror_rejected() {
    assertThatThrownBy(() -> CopyOptions.parse("FORMAT AS PARQUET MAXERROR 5"))
        .hasMessage("COPY option MAXERROR cannot be used with FORMAT AS PARQUET: \"COPY from columnar data "
            + "formats\" (Amazon Redshift Database Developer Guide) lists only ACCEPTINVCHARS, FILLRECORD and "
            + "EXPLICIT_IDS besides FROM, IAM_ROLE, MANIFEST and STATUPDATE, which mbl sets; fix: remove MAXERROR");
  }

  @ParameterizedTest
  @ValueSource(strings = {"PARQUET ACCEPTINVCHARS", "ORC ACCEPTINVCHARS AS '?' FILLRECORD", "PARQUET EXPLICIT_IDS",
      "FILLRECORD EXPLICIT_IDS FORMAT AS ORC"})
  void parse_columnarWithListedOptions_accepted(String options) {
    CopyOptions parsed = CopyOptions.parse(options);

    assertThat(parsed.columnar()).isTrue();
  }

  // "Data format parameters" (JSON): "The following options aren't supported with JSON: CSV, DELIMITER,
  // ESCAPE, FILLRECORD, FIXEDWIDTH, IGNOREBLANKLINES, NULL AS, READRATIO, REMOVEQUOTES".
  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "JSON 'auto' DELIMITER ','|DELIMITER",
      "JSON 'auto' ESCAPE|ESCAPE",
      "JSON 'auto' FILLRECORD|FILLRECORD",
      "JSON 'auto' IGNOREBLANKLINES|IGNOREBLANKLINES",
      "NULL AS 'x' JSON 'auto ignorecase'|NULL AS",
      "JSON 'auto' REMOVEQUOTES|REMOVEQUOTES"})
  void parse_jsonWithTextOnlyOption_rejectedNamingTheDocument(String options, String option) {
    assertThatThrownBy(() -> CopyOptions.parse(options))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageStartingWith("COPY option " + option + " cannot be used with FORMAT AS JSON: \"Data format "
            + "parameters\" (Amazon Redshift Database Developer Guide) says these options aren't supported with "
            + "JSON: DELIMITER, ESCAPE, FILLRECORD, IGNOREBLANKLINES, NULL AS, REMOVEQUOTES")
        .hasMessageEndingWith("; fix: remove " + option);
  }

  @ParameterizedTest
  @ValueSource(strings = {"JSON 'auto' GZIP TIMEFORMAT 'auto' TRUNCATECOLUMNS MAXERROR 3 REGION 'eu-west-1'",
      "CSV DELIMITER ';' NULL AS '' FILLRECORD IGNOREBLANKLINES EMPTYASNULL", "DELIMITER '|' ESCAPE REMOVEQUOTES"})
  void parse_optionsTheFormatTakes_accepted(String options) {
    assertThat(CopyOptions.parse(options).clauses()).isNotEmpty();
  }

  @Test
  void region_regionClause_lowerCaseName() {
    assertThat(CopyOptions.parse("REGION 'EU-West-1'").region()).contains("eu-west-1");
    assertThat(CopyOptions.parse("CSV").region()).isEmpty();
  }

  @Test
  void has_keywordClause_trueOnlyForThatKeyword() {
    CopyOptions options = CopyOptions.parse("EXPLICIT_IDS NULL AS 'x'");

    assertThat(options.has("EXPLICIT_IDS")).isTrue();
    assertThat(options.has("NULL")).isTrue();
    assertThat(options.has("EXPLICIT")).isFalse();
  }
}
