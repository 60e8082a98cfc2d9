package dev.shardman.cli.command;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.util.Optional;

/**
 * Where apply asks for its confirmation: the process's terminal ({@link System#console()}), none (no terminal: apply
 * needs {@code --auto-approve}), or answers given in advance (tests: what an operator would type). Only a real
 * terminal is interactive (progress bars redrawn in place).
 */
public final class Terminal {
    private final Optional<Console> console;
    private final Optional<BufferedReader> answers;

    private Terminal(Optional<Console> console, Optional<BufferedReader> answers) {
        this.console = console;
        this.answers = answers;
    }

    /** The process's terminal, when it has one. */
    public static Terminal system() {
        return new Terminal(Optional.ofNullable(System.console()), Optional.empty());
    }

    /** No terminal to ask on. */
    public static Terminal none() {
        return new Terminal(Optional.empty(), Optional.empty());
    }

    /** Answers read line by line from {@code answers}, as typed on a terminal (not interactive). */
    public static Terminal answering(BufferedReader answers) {
        return new Terminal(Optional.empty(), Optional.of(answers));
    }

    boolean interactive() {
        return console.isPresent();
    }

    boolean canAsk() {
        return console.isPresent() || answers.isPresent();
    }

    /** The line typed after {@code prompt}; empty at the end of input. */
    Optional<String> ask(String prompt, PrintWriter out) {
        if (console.isPresent()) {
            return Optional.ofNullable(console.get().readLine(prompt));
        }
        out.print(prompt);
        out.flush();
        try {
            return Optional.ofNullable(answers.orElseThrow().readLine());
        } catch (IOException unreadable) {
            throw new UncheckedIOException(unreadable);
        }
    }
}
