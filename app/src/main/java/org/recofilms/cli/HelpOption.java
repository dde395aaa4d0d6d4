package org.recofilms.cli;

import picocli.CommandLine.Option;

/** {@code -h, --help} on every command (picocli's standard mixin would add a --version with nothing to say). */
class HelpOption {

    @Option(
            names = {"-h", "--help"},
            usageHelp = true,
            description = "show this help and exit")
    boolean help;
}
