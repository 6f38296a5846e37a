package org.syncservice.bench;

import java.nio.file.Path;
import java.time.Duration;
import org.apache.commons.cli.CommandLine;
import org.apache.commons.cli.DefaultParser;
import org.apache.commons.cli.HelpFormatter;
import org.apache.commons.cli.Option;
import org.apache.commons.cli.Options;
import org.apache.commons.cli.ParseException;

/** The benchmark's command line. Immutable. */
record BenchOptions(
        Path config,
        Workload.Kind workload,
        boolean openLoop,
        int concurrency,
        double rate,
        Duration warmup,
        Duration duration,
        int users,
        int devicesPerUser,
        int batchSize,
        int chunksPerFile,
        int listenersPerUser,
        int populate) {

    static Options options() {
        Options options = new Options();
        options.addOption(Option.builder("c").longOpt("config").hasArg().argName("FILE").required()
                .desc("the service's config file: its database (to create the benchmark's users) and broker").build());
        options.addOption(Option.builder().longOpt("workload").hasArg().argName("KIND")
                .desc("commit (one new file per request), batch (--batch-size new files per request),"
                        + " changes (get_changes returning 10 changes), mixed (new, change, rename, move, delete);"
                        + " default commit").build());
        options.addOption(Option.builder().longOpt("open-loop").hasArg().argName("RATE")
                .desc("offer RATE requests per second whatever the answers' speed (latency is honest);"
                        + " default: closed loop, as fast as answers come").build());
        options.addOption(Option.builder().longOpt("concurrency").hasArg().argName("N")
                .desc("requests in flight (closed loop) or worker threads (open loop); default 16").build());
        options.addOption(Option.builder().longOpt("warmup").hasArg().argName("SECONDS")
                .desc("not measured: the JVMs compile their hot code, and halfway through the database is"
                        + " ANALYZEd so that plans fit the populated tables; default 40 (the service still compiles"
                        + " hot code for about 40 s after it starts)").build());
        options.addOption(Option.builder().longOpt("duration").hasArg().argName("SECONDS").desc("default 30").build());
        options.addOption(Option.builder().longOpt("users").hasArg().argName("N").desc("default 16").build());
        options.addOption(Option.builder().longOpt("devices").hasArg().argName("N")
                .desc("committing devices per user; default 1").build());
        options.addOption(Option.builder().longOpt("listeners").hasArg().argName("N")
                .desc("other devices per user that only receive notifications; default 2").build());
        options.addOption(Option.builder().longOpt("batch-size").hasArg().argName("N").desc("default 100").build());
        options.addOption(Option.builder().longOpt("chunks").hasArg().argName("N")
                .desc("chunks per committed file; default 4").build());
        options.addOption(Option.builder().longOpt("populate").hasArg().argName("N")
                .desc("before the run, load N items straight into the first user's workspace and ANALYZE"
                        + " (for get_changes in a large workspace); default 0").build());
        options.addOption(Option.builder("h").longOpt("help").desc("print this help").build());
        return options;
    }

    static BenchOptions parse(String[] args) throws ParseException {
        CommandLine line = new DefaultParser().parse(options(), args);
        String rate = line.getOptionValue("open-loop");
        int users = positive(line, "users", 16);
        int devices = positive(line, "devices", 1);
        int listeners = positive(line, "listeners", 2);
        int batchSize = positive(line, "batch-size", 100);
        int chunks = positive(line, "chunks", 4);
        return new BenchOptions(
                Path.of(line.getOptionValue("config")),
                Workload.Kind.valueOf(line.getOptionValue("workload", "commit").toUpperCase(java.util.Locale.ROOT)),
                rate != null,
                positive(line, "concurrency", 16),
                rate == null ? 0 : Double.parseDouble(rate),
                Duration.ofSeconds(positive(line, "warmup", 40)),
                Duration.ofSeconds(positive(line, "duration", 30)),
                users,
                devices,
                batchSize,
                chunks,
                listeners,
                positive(line, "populate", 0));
    }

    static String usage() {
        java.io.StringWriter text = new java.io.StringWriter();
        new HelpFormatter().printHelp(new java.io.PrintWriter(text), 100,
                "java -jar syncservice-bench.jar --config FILE [options]", "", options(), 2, 2, "");
        return text.toString();
    }

    private static int positive(CommandLine line, String option, int fallback) throws ParseException {
        String value = line.getOptionValue(option);
        if (value == null) {
            return fallback;
        }
        try {
            int number = Integer.parseInt(value);
            if (number < 0) {
                throw new ParseException("--" + option + " must not be negative");
            }
            return number;
        } catch (NumberFormatException e) {
            throw new ParseException("--" + option + " expects a whole number, got '" + value + "'");
        }
    }
}
