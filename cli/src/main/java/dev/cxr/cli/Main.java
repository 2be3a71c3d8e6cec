package dev.cxr.cli;

import dev.cxr.engine.CxrException;
import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * The {@code cxr} entry point. Errors the user can fix ({@link CxrException}) end in one line on
 * stderr and exit code {@value #EXIT_USER_ERROR}; a wrong option exits {@value #EXIT_USAGE}; anything
 * else is a bug and exits {@value #EXIT_INTERNAL}. {@code --verbose} adds the stack trace.
 */
@Command(
        name = "cxr",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "COVID-19 vs normal chest X-ray classifier on a hand-built CNN engine.",
            "Educational only: not a medical device, not for diagnosis."
        },
        subcommands = {
            CommandLine.HelpCommand.class,
            WeightsCommand.class,
            FeaturesCommand.class,
            TrainCommand.class,
            EvaluateCommand.class,
            PredictCommand.class,
            ExplainCommand.class,
            AuditCommand.class,
            ViewCommand.class,
            InfoCommand.class,
        })
public final class Main implements Runnable {
    public static final int EXIT_USER_ERROR = 1;
    public static final int EXIT_USAGE = 2;
    public static final int EXIT_INTERNAL = 70;

    @Mixin
    GlobalOptions global;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is needed (try 'cxr --help')");
    }

    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Gives every command and subcommand a {@code -h/--help} that shows its usage, also where the
     * command has required parameters or subcommands of its own ({@code cxr weights verify --help}),
     * so that no command can be added without one.
     */
    static void helpOnEveryCommand(CommandLine cl) {
        CommandLine.Model.CommandSpec spec = cl.getCommandSpec();
        if (spec.findOption("--help") == null && spec.findOption("-h") == null) {
            spec.addOption(CommandLine.Model.OptionSpec.builder("-h", "--help")
                    .usageHelp(true)
                    .description("Show this help message and exit.")
                    .build());
        }
        for (CommandLine sub : cl.getSubcommands().values()) {
            helpOnEveryCommand(sub);
        }
    }

    /** Runs the command line and returns its exit code; the streams are parameters for tests. */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = new CommandLine(new Main());
        helpOnEveryCommand(cl);
        cl.setOut(out);
        cl.setErr(err);
        cl.setExecutionExceptionHandler((ex, commandLine, parseResult) -> {
            boolean verbose = parseResult.hasMatchedOption("--verbose");
            if (verbose) {
                ex.printStackTrace(err);
            }
            if (ex instanceof CxrException e) {
                err.println("cxr: " + Remedies.line(e));
                err.flush();
                return EXIT_USER_ERROR;
            }
            err.println("cxr: internal error: " + ex + (verbose ? "" : " (run with --verbose for the stack trace)"));
            err.flush();
            return EXIT_INTERNAL;
        });
        cl.setParameterExceptionHandler((ex, arguments) -> {
            CommandLine c = ex.getCommandLine();
            c.getErr().println("cxr: " + ex.getMessage());
            c.getErr().println("     see '" + c.getCommandSpec().qualifiedName() + " --help'");
            c.getErr().flush();
            return EXIT_USAGE;
        });
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError oom) {
            err.println("cxr: out of Java heap memory: try a smaller --batch-size, or more heap with JAVA_OPTS=-Xmx4g");
            err.flush();
            return EXIT_USER_ERROR;
        }
    }
}
