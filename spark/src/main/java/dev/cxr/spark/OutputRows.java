package dev.cxr.spark;

import dev.cxr.model.eval.Predictor;
import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The job's output, one row per input file, in the columns of {@code cxr predict}'s CSV
 * ({@link Predictor}, whose rows these are) and one more:
 * {@code path} (as Spark listed it, e.g. {@code file:/archive/a.jpg}), {@code predicted} (the class,
 * null on error), {@code p_<class>} for each of the model's classes (float32, null on error),
 * {@code error} (why the file has no prediction, null otherwise) and {@code model_md5} (the md5 of
 * the model file's bytes, so that rows from different models never mix unnoticed).
 */
record OutputRows(List<String> classes) implements Serializable {
    static final String PATH = "path";
    static final String PREDICTED = "predicted";
    static final String ERROR = "error";
    static final String MODEL_MD5 = "model_md5";

    OutputRows {
        classes = List.copyOf(classes);
    }

    static String probabilityColumn(String cls) {
        return "p_" + cls;
    }

    StructType schema() {
        List<StructField> fields = new ArrayList<>();
        fields.add(DataTypes.createStructField(PATH, DataTypes.StringType, false));
        fields.add(DataTypes.createStructField(PREDICTED, DataTypes.StringType, true));
        for (String c : classes) {
            fields.add(DataTypes.createStructField(probabilityColumn(c), DataTypes.FloatType, true));
        }
        fields.add(DataTypes.createStructField(ERROR, DataTypes.StringType, true));
        fields.add(DataTypes.createStructField(MODEL_MD5, DataTypes.StringType, false));
        return DataTypes.createStructType(fields);
    }

    /** A row of {@code cxr predict}'s, as the job writes it. */
    Row of(Predictor.Row r, String modelMd5) {
        Object[] v = new Object[classes.size() + 4];
        v[0] = r.path();
        v[1] = r.predicted();
        for (int c = 0; c < classes.size(); c++) {
            v[2 + c] = r.probabilities() == null ? null : r.probabilities()[c];
        }
        v[v.length - 2] = r.error();
        v[v.length - 1] = modelMd5;
        return RowFactory.create(v);
    }
}
