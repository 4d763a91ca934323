package io.hookrail.policy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** Minor units written the way an approver reads them, by the currency's ISO 4217 decimals. */
class MoneyTest {

    @ParameterizedTest(name = "{0} minor units of {1} read \"{2}\"")
    @CsvSource(delimiter = '|', textBlock = """
            # amount    | currency | written
            100001      | EUR      | 1,000.01 EUR
            100000      | EUR      | 1,000.00 EUR
            5           | EUR      | 0.05 EUR
            0           | EUR      | 0.00 EUR
            123456789   | USD      | 1,234,567.89 USD
            100000      | JPY      | 100,000 JPY
            7           | JPY      | 7 JPY
            1500250     | KWD      | 1,500.250 KWD
            1           | BHD      | 0.001 BHD
            12345       | ZZZ      | 12345 minor units of ZZZ
            500         | XAU      | 500 minor units of XAU
            """)
    void formatsByTheDecimalsOfTheCurrency(long amountMinor, String currency, String written) {
        assertEquals(written, Money.format(amountMinor, currency));
    }
}
