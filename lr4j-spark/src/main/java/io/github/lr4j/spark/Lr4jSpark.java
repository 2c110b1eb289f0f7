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
        requireSupportedJava();
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

    /** The newest Java feature version Spark 4.0 with its Hadoop client runs on (see {@link #requireSupportedJava()}). */
    public static final int NEWEST_JAVA = 22;

    /**
     * Refuses, before any work, a JVM that Spark cannot run on: from Java 23 on, {@code Subject.getSubject} (which
     * Hadoop's user login calls when a session starts or a file system opens) throws, which would surface mid-run
     * as an lr4j failure.
     */
    public static void requireSupportedJava() {
        requireSupportedJava(Runtime.version().feature());
    }

    static void requireSupportedJava(int feature) {
        if (feature > NEWEST_JAVA) {
            throw new IllegalArgumentException("--engine spark runs on Java 17 to " + NEWEST_JAVA + " (Spark 4.0's Hadoop calls"
                    + " Subject.getSubject, which Java 23 and later refuse), this is Java " + feature
                    + ": set JAVA_HOME to a JDK 17 or 21");
        }
    }
}
