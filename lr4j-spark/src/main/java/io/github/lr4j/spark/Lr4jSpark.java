package io.github.lr4j.spark;

import org.apache.spark.SparkConf;
import org.apache.spark.sql.SparkSession;

/** Spark sessions with lr4j's defaults. */
public final class Lr4jSpark {
    private Lr4jSpark() {
    }

    /**
     * The active session, or a new one: on {@code master} if given, else on the master spark-submit
     * set ({@code spark.master}), else embedded on {@code local[*]}. A local session binds its driver
     * to 127.0.0.1 and runs no web UI, so nothing listens on or talks to other addresses.
     */
    public static SparkSession session(String master) {
        SparkConf conf = new SparkConf().setAppName("lr4j");
        if (master != null && !master.isBlank()) {
            conf.setMaster(master);
        } else if (!conf.contains("spark.master")) {
            conf.setMaster("local[*]");
        }
        if (conf.get("spark.master").startsWith("local")) {
            conf.set("spark.driver.bindAddress", "127.0.0.1")
                    .set("spark.driver.host", "127.0.0.1")
                    .set("spark.ui.enabled", "false")
                    .set("spark.ui.showConsoleProgress", "false");
        }
        return SparkSession.builder().config(conf).getOrCreate();
    }
}
