package io.hookrail.policy;

import java.math.BigDecimal;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.util.Currency;
import java.util.Locale;

/** Writes minor units the way an approver reads them: {@code 1,500.00 USD}, by the currency's ISO 4217 decimals. */
final class Money {

    private Money() {
    }

    static String format(long amountMinor, String currency) {
        int decimals = decimals(currency);
        if (decimals < 0) {
            return amountMinor + " minor units of " + currency;
        }
        // DecimalFormat is not thread-safe: one per call, the engine is shared by every flow
        DecimalFormat format = new DecimalFormat("#,##0", DecimalFormatSymbols.getInstance(Locale.ROOT));
        format.setMinimumFractionDigits(decimals);
        format.setMaximumFractionDigits(decimals);
        return format.format(BigDecimal.valueOf(amountMinor, decimals)) + " " + currency;
    }

    /** The currency's ISO 4217 minor-unit digits, or -1 when Java does not know the code or it has none. */
    private static int decimals(String currency) {
        try {
            return Currency.getInstance(currency).getDefaultFractionDigits();
        } catch (IllegalArgumentException unknown) {
            return -1;
        }
    }
}
