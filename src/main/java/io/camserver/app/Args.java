package io.camserver.app;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;
import picocli.CommandLine.ParseResult;

/**
 * A command's arguments, parsed by picocli from the options the command declares (its
 * programmatic model: no annotations, no reflection on our classes): {@code --name value},
 * {@code --name=value}, boolean {@code --flag}, positionals, and {@code --} to end options. Every
 * option a command reads is declared, so a misspelt one is refused rather than silently ignored.
 */
final class Args {
    private final ParseResult parsed;

    Args(List<String> argv, Set<String> valued, Set<String> booleans) {
        CommandSpec spec = CommandSpec.create();
        for (String name : valued) {
            spec.addOption(OptionSpec.builder("--" + name).arity("1").type(String.class).build());
        }
        for (String name : booleans) {
            spec.addOption(OptionSpec.builder("--" + name).arity("0").type(boolean.class).build());
        }
        spec.addPositional(PositionalParamSpec.builder().index("0..*").arity("0..*").type(String[].class).build());
        try {
            this.parsed = new CommandLine(spec).parseArgs(argv.toArray(String[]::new));
        } catch (CommandLine.UnmatchedArgumentException e) {
            throw new UsageException("unknown option " + e.getUnmatched().get(0).replaceFirst("=.*", ""));
        } catch (CommandLine.MissingParameterException e) {
            throw new UsageException(e.getMissing().isEmpty() || !(e.getMissing().get(0) instanceof OptionSpec o) ? e.getMessage()
                    : o.longestName() + " needs a value");
        } catch (CommandLine.ParameterException e) {
            throw new UsageException(e.getMessage());
        }
    }

    Optional<String> value(String name) {
        return Optional.ofNullable(parsed.matchedOptionValue("--" + name, null));
    }

    boolean flag(String name) {
        return parsed.hasMatchedOption("--" + name);
    }

    List<String> positionals() {
        return List.of(parsed.matchedPositionalValue(0, new String[0]));
    }

    static float parseFloat(String option, String v) {
        try {
            return Float.parseFloat(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a number (was " + v + ")");
        }
    }

    static int parseInt(String option, String v) {
        try {
            return Integer.parseInt(v.trim());
        } catch (NumberFormatException e) {
            throw new UsageException(option + " must be a whole number (was " + v + ")");
        }
    }
}
