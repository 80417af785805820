package dev.mbl.infra;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** Reading parts of a synthesized template ({@code Template.findResources}) in assertions. */
final class TemplateJson {
  private TemplateJson() {}

  @SuppressWarnings("unchecked")
  static List<Map<String, Object>> statementsOf(Map<String, Object> properties) {
    Map<String, Object> document = (Map<String, Object>) properties.get("PolicyDocument");
    return (List<Map<String, Object>>) document.get("Statement");
  }

  @SuppressWarnings("unchecked")
  static Map<String, Object> properties(Map<String, Object> resource) {
    return (Map<String, Object>) resource.get("Properties");
  }

  static Map<String, Object> only(Map<String, Map<String, Object>> resources) {
    assertThat(resources).hasSize(1);
    return resources.values().iterator().next();
  }

  static List<Object> asList(Object value) {
    if (value instanceof List<?> list) {
      return new ArrayList<>(list);
    }
    return value == null ? List.of() : List.of(value);
  }

  /** Every statement of every resource of {@code type} that holds a PolicyDocument. */
  static List<Map<String, Object>> statementsOfAll(Map<String, Map<String, Object>> resources) {
    List<Map<String, Object>> statements = new ArrayList<>();
    for (Map<String, Object> resource : resources.values()) {
      statements.addAll(statementsOf(properties(resource)));
    }
    return statements;
  }
}
