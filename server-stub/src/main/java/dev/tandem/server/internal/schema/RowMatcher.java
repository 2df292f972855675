package dev.tandem.server.internal.schema;

import dev.tandem.Condition;
import dev.tandem.Permissions;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * A {@link Condition} evaluated on a row in memory (by column name), as the SQL of the same
 * condition would on the stored row: comparisons with null are false, numbers compare as doubles,
 * booleans as 1 and 0, {@code LIKE} by SQLite's rules (ASCII letters match either case).
 */
final class RowMatcher {
  private RowMatcher() {}

  static boolean matches(Condition condition, Map<String, Object> row, String user) {
    switch (condition.kind()) {
      case AND:
        for (Condition part : condition.parts()) if (!matches(part, row, user)) return false;
        return true;
      case OR:
        for (Condition part : condition.parts()) if (matches(part, row, user)) return true;
        return false;
      case IS_NULL:
        return row.get(condition.column()) == null;
      case IS_NOT_NULL:
        return row.get(condition.column()) != null;
      case IN:
        Object value = plain(row.get(condition.column()));
        if (value == null) return false;
        for (Object candidate : condition.values()) {
          if (compare(value, plain(candidate == Permissions.USER ? user : candidate)) == 0)
            return true;
        }
        return false;
      case COMPARE:
      default:
        Object left = plain(row.get(condition.column()));
        Object right = plain(condition.value() == Permissions.USER ? user : condition.value());
        if (left == null || right == null) return false;
        if (condition.operator().equals("LIKE")) {
          return like(String.valueOf(right)).matcher(String.valueOf(left)).matches();
        }
        Integer order = compareOrNull(left, right);
        if (order == null) return condition.operator().equals("!=");
        switch (condition.operator()) {
          case "=":
            return order == 0;
          case "!=":
            return order != 0;
          case "<":
            return order < 0;
          case "<=":
            return order <= 0;
          case ">":
            return order > 0;
          default:
            return order >= 0;
        }
    }
  }

  private static int compare(Object a, Object b) {
    Integer order = compareOrNull(a, b);
    return order == null ? 1 : order;
  }

  /** Null when the two are of kinds that never compare equal (a number and a string). */
  private static Integer compareOrNull(Object a, Object b) {
    if (a instanceof Double && b instanceof Double) return Double.compare((Double) a, (Double) b);
    if (a instanceof String && b instanceof String) return ((String) a).compareTo((String) b);
    return a.equals(b) ? 0 : null;
  }

  private static Object plain(Object value) {
    if (value instanceof Boolean) return ((Boolean) value) ? 1.0 : 0.0;
    if (value instanceof Number) return ((Number) value).doubleValue();
    if (value instanceof Enum) return ((Enum<?>) value).name();
    return value;
  }

  private static Pattern like(String pattern) {
    StringBuilder regex = new StringBuilder();
    for (char c : pattern.toCharArray()) {
      if (c == '%') regex.append(".*");
      else if (c == '_') regex.append('.');
      else regex.append(Pattern.quote(String.valueOf(c)));
    }
    return Pattern.compile(regex.toString(), Pattern.CASE_INSENSITIVE | Pattern.DOTALL);
  }
}
