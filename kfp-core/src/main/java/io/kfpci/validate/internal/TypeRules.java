package io.kfpci.validate.internal;

import com.google.protobuf.Value;
import io.kfpci.ir.proto.ParameterType.ParameterTypeEnum;

/** Parameter type compatibility, as the KFP SDK's type checks allow it. */
public final class TypeRules {
  private TypeRules() {}

  /** Whether a value of type {@code actual} may be passed where {@code expected} is declared. */
  public static boolean parameterAssignable(ParameterTypeEnum actual, ParameterTypeEnum expected) {
    if (actual == expected || isUnknown(actual) || isUnknown(expected)) {
      return true;
    }
    // An integer is a valid double (Python int -> float), as the SDK accepts; a task final status
    // is a struct to a nested pipeline that takes it as a dict (PipelineTaskFinalStatus in a sub-DAG).
    return (actual == ParameterTypeEnum.NUMBER_INTEGER && expected == ParameterTypeEnum.NUMBER_DOUBLE)
        || (actual == ParameterTypeEnum.TASK_FINAL_STATUS && expected == ParameterTypeEnum.STRUCT);
  }

  /** Whether a constant fits a declared type; JSON has one number kind, so ints must be whole. */
  public static boolean constantMatches(Value constant, ParameterTypeEnum expected) {
    return switch (expected) {
      case NUMBER_INTEGER -> constant.hasNumberValue()
          && constant.getNumberValue() == Math.rint(constant.getNumberValue());
      case NUMBER_DOUBLE -> constant.hasNumberValue();
      case STRING -> constant.hasStringValue();
      case BOOLEAN -> constant.hasBoolValue();
      case LIST -> constant.hasListValue();
      case STRUCT -> constant.hasStructValue();
      default -> true;
    };
  }

  public static String describe(Value constant) {
    return switch (constant.getKindCase()) {
      case NUMBER_VALUE -> "the number " + constant.getNumberValue();
      case STRING_VALUE -> "the string '" + constant.getStringValue() + "'";
      case BOOL_VALUE -> "the boolean " + constant.getBoolValue();
      case LIST_VALUE -> "a list";
      case STRUCT_VALUE -> "a struct";
      case NULL_VALUE -> "null";
      case KIND_NOT_SET -> "empty";
    };
  }

  private static boolean isUnknown(ParameterTypeEnum type) {
    return type == ParameterTypeEnum.PARAMETER_TYPE_ENUM_UNSPECIFIED || type == ParameterTypeEnum.UNRECOGNIZED;
  }
}
