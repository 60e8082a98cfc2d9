package dev.shardman.cli.command;

import dev.shardman.model.spec.SettingsSpec;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.time.Duration;

/** Durations of options as the spec writes them: 500ms, 5s, 2m, 1h; more than 0. */
final class DurationConverter implements ITypeConverter<Duration> {
    @Override
    public Duration convert(String value) {
        return SettingsSpec.parseDuration(value).filter(duration -> !duration.isZero())
                .orElseThrow(() -> new TypeConversionException("'" + value + "' is not a positive duration such as 500ms, 5s, 2m or 1h"));
    }
}
