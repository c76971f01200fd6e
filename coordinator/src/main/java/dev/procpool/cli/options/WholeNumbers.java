package dev.procpool.cli.options;

import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Parses counts written as {@code 1000000}, {@code 1_000_000}, {@code 1e6} or {@code 2.5e9}: whatever the
 * form, the value must be a whole number that fits a long. Stateless.
 */
public final class WholeNumbers implements ITypeConverter<Long> {

    private static final Pattern FORM = Pattern.compile("-?[0-9]+(_[0-9]+)*(\\.[0-9]+)?([eE]\\+?[0-9]{1,4})?");

    @Override
    public Long convert(String text) {
        return parse(text);
    }

    static long parse(String text) {
        String trimmed = text.strip();
        if (!FORM.matcher(trimmed).matches()) {
            throw new TypeConversionException("'" + text + "' is not a whole number (write 1000000, 1_000_000 or 1e6)");
        }
        BigInteger value;
        try {
            value = new BigDecimal(trimmed.replace("_", "")).toBigIntegerExact();
        } catch (ArithmeticException e) {
            throw new TypeConversionException("'" + text + "' is not a whole number");
        }
        if (value.bitLength() > 63) {
            throw new TypeConversionException("'" + text + "' is too large");
        }
        return value.longValueExact();
    }
}
