package dev.tandem.internal.store;

import dev.tandem.Condition;
import dev.tandem.protocol.KeyOrder;
import java.util.List;
import java.util.Map;

/**
 * A table query's conditions evaluated on one row's values in memory, to tell whether a changed row
 * could be in the query's result: {@link #mayMatch} is false only when SQLite would certainly not
 * select the row. Anything it cannot decide the way SQLite would (LIKE, mixed types, JSON columns,
 * a null compared) counts as a possible match. Immutable.
 */
final class RowFilter {
  private enum Truth {
    TRUE,
    FALSE,
    MAYBE
  }

  private final TypedTable table;
  private final List<Condition> conditions;

  RowFilter(TypedTable table, List<Condition> conditions) {
    this.table = table;
    this.conditions = conditions;
  }

  /** False only if the row {@code key} with value {@code json} is certainly not selected. */
  boolean mayMatch(String key, String json) {
    Map<String, Object> row;
    try {
      row = table.decode(key, json);
    } catch (RuntimeException e) {
      return true; // Not a value this table can hold as is: let the query decide.
    }
    for (Condition condition : conditions) {
      if (eval(condition, row) == Truth.FALSE) return false;
    }
    return true;
  }

  private static Truth eval(Condition condition, Map<String, Object> row) {
    switch (condition.kind()) {
      case AND:
        {
          Truth result = Truth.TRUE;
          for (Condition part : condition.parts()) {
            Truth truth = eval(part, row);
            if (truth == Truth.FALSE) return Truth.FALSE;
            if (truth == Truth.MAYBE) result = Truth.MAYBE;
          }
          return result;
        }
      case OR:
        {
          Truth result = Truth.FALSE;
          for (Condition part : condition.parts()) {
            Truth truth = eval(part, row);
            if (truth == Truth.TRUE) return Truth.TRUE;
            if (truth == Truth.MAYBE) result = Truth.MAYBE;
          }
          return result;
        }
      case IS_NULL:
        return row.get(condition.column()) == null ? Truth.TRUE : Truth.FALSE;
      case IS_NOT_NULL:
        return row.get(condition.column()) != null ? Truth.TRUE : Truth.FALSE;
      case IN:
        {
          Object value = stored(row.get(condition.column()));
          if (value == null) return Truth.FALSE; // NULL IN (…) is never true.
          Truth result = Truth.FALSE;
          for (Object candidate : condition.values()) {
            Integer order = compare(value, bound(candidate));
            if (order == null) {
              result = Truth.MAYBE;
            } else if (order == 0) {
              return Truth.TRUE;
            }
          }
          return result;
        }
      case COMPARE:
      default:
        {
          if (condition.operator().equals("LIKE")) return Truth.MAYBE;
          Object value = stored(row.get(condition.column()));
          Object operand = bound(condition.value());
          if (operand == null) return Truth.MAYBE;
          if (value == null) return Truth.FALSE; // NULL compared is never true.
          Integer order = compare(value, operand);
          if (order == null) return Truth.MAYBE;
          boolean holds;
          switch (condition.operator()) {
            case "=":
              holds = order == 0;
              break;
            case "!=":
              holds = order != 0;
              break;
            case "<":
              holds = order < 0;
              break;
            case "<=":
              holds = order <= 0;
              break;
            case ">":
              holds = order > 0;
              break;
            case ">=":
              holds = order >= 0;
              break;
            default:
              return Truth.MAYBE;
          }
          return holds ? Truth.TRUE : Truth.FALSE;
        }
    }
  }

  /** A row value as its typed column holds it: numbers and booleans as doubles, text as is. */
  private static Object stored(Object value) {
    if (value instanceof Boolean) return ((Boolean) value) ? 1.0 : 0.0;
    if (value instanceof Number) return ((Number) value).doubleValue();
    if (value == null || value instanceof String) return value;
    return Undecided.INSTANCE; // A JSON column's object or array.
  }

  /** A condition's value as the query binds it (see QueryRunner.bindable). */
  private static Object bound(Object value) {
    if (value instanceof Boolean) return ((Boolean) value) ? 1.0 : 0.0;
    if (value instanceof Enum) return ((Enum<?>) value).name();
    if (value instanceof Number) return ((Number) value).doubleValue();
    if (value == null || value instanceof String) return value;
    return Undecided.INSTANCE;
  }

  /** The order of two stored values as SQLite compares them, or null if not decided here. */
  private static Integer compare(Object a, Object b) {
    if (a instanceof Double && b instanceof Double) {
      double x = (Double) a;
      double y = (Double) b;
      return x < y ? -1 : x > y ? 1 : 0;
    }
    if (a instanceof String && b instanceof String) {
      return Integer.signum(KeyOrder.compare((String) a, (String) b)); // BINARY: UTF-8 bytes
    }
    return null;
  }

  private enum Undecided {
    INSTANCE
  }
}
