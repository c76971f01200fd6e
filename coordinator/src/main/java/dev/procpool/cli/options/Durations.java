package dev.procpool.cli.options;

import java.math.BigDecimal;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Parses durations written as {@code 500ms}, {@code 30s}, {@code 1.5s}, {@code 2m} or {@code 1h}. Stateless. */
public final class Durations implements ITypeConverter<Duration> {

    private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)");

    @Override
    public Duration convert(String text) {
        return parse(text);
    }

    static Duration parse(String text) {
        Matcher matcher = FORM.matcher(text.strip());
        if (!matcher.matches()) {
            throw new TypeConversionException("'" + text + "' is not a duration (write 500ms, 30s, 1.5s, 2m or 1h)");
        }
        BigDecimal amount = new BigDecimal(matcher.group(1));
        long unitMillis = switch (matcher.group(2)) {
            case "ms" -> 1;
            case "s" -> 1_000;
            case "m" -> 60_000;
            default -> 3_600_000;
        };
        BigDecimal millis = amount.multiply(BigDecimal.valueOf(unitMillis));
        if (millis.compareTo(BigDecimal.ONE) < 0) {
            throw new TypeConversionException("'" + text + "' is shorter than a millisecond");
        }
        if (millis.compareTo(BigDecimal.valueOf(Duration.ofDays(365).toMillis())) > 0) {
            throw new TypeConversionException("'" + text + "' is longer than a year");
        }
        return Duration.ofMillis(millis.longValue());
    }
}
