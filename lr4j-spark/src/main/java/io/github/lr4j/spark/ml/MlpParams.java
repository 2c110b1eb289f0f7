package io.github.lr4j.spark.ml;

import org.apache.spark.ml.linalg.SQLDataTypes;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.NumericType;
import org.apache.spark.sql.types.StructType;

/** Schema checks shared by the estimator and the model. */
final class MlpParams {
    private MlpParams() {
    }

    static void requireVector(StructType schema, String column) {
        requireColumn(schema, column);
        if (!schema.apply(column).dataType().equals(SQLDataTypes.VectorType())) {
            throw new IllegalArgumentException("column " + column + " must hold feature vectors (org.apache.spark.ml.linalg.Vector), got "
                    + schema.apply(column).dataType().simpleString());
        }
    }

    static void requireNumeric(StructType schema, String column) {
        requireColumn(schema, column);
        if (!(schema.apply(column).dataType() instanceof NumericType)) {
            throw new IllegalArgumentException("column " + column + " must hold numeric class labels 0, 1, 2, ..., got "
                    + schema.apply(column).dataType().simpleString());
        }
    }

    static StructType withPrediction(StructType schema, String column) {
        if (java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("output column " + column + " already exists");
        }
        return schema.add(column, DataTypes.DoubleType, false);
    }

    private static void requireColumn(StructType schema, String column) {
        if (!java.util.Arrays.asList(schema.fieldNames()).contains(column)) {
            throw new IllegalArgumentException("column " + column + " is missing; the columns are "
                    + String.join(", ", schema.fieldNames()));
        }
    }
}
