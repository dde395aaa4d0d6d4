package org.recofilms.ingestion.generator;

import org.recofilms.ingestion.RejectKind;

/**
 * One bad line the generator wrote on purpose.
 *
 * @param file the file name, e.g. {@code ratings.csv}
 * @param line the 1-based physical line number in that file (the header is line 1)
 * @param kind the one reason this line must be rejected for
 */
public record InjectedBadRow(String file, long line, RejectKind kind) {}
