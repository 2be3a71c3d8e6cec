package dev.cxr.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** {@code --help} and {@code -h} on every command and subcommand picocli knows: usage on stdout, exit 0. */
class HelpEverywhereTest {
    private static void collect(CommandLine cl, List<String> prefix, List<List<String>> out) {
        out.add(prefix);
        for (Map.Entry<String, CommandLine> sub : cl.getSubcommands().entrySet()) {
            List<String> next = new ArrayList<>(prefix);
            next.add(sub.getKey());
            collect(sub.getValue(), next, out);
        }
    }

    @Test
    void everyCommandShowsItsHelp() {
        CommandLine cl = new CommandLine(new Main());
        List<List<String>> commands = new ArrayList<>();
        collect(cl, List.of(), commands);
        assertTrue(commands.size() >= 12, "walked the whole tree: " + commands);
        assertTrue(commands.contains(List.of("weights", "verify")), commands.toString());
        for (List<String> command : commands) {
            for (String flag : new String[] {"--help", "-h"}) {
                List<String> args = new ArrayList<>(command);
                args.add(flag);
                CliRun r = CliRun.of(args.toArray(String[]::new));
                assertEquals(0, r.exit(), args + ": " + r.err());
                String expected = "Usage: cxr" + (command.isEmpty() ? "" : " " + String.join(" ", command));
                assertTrue(
                        r.out().startsWith(expected) || r.out().contains("\n" + expected),
                        args + " prints its usage: " + r.out() + r.err());
                assertEquals("", r.err(), args + " says nothing on stderr");
            }
        }
    }
}
