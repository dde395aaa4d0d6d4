package org.recofilms.ingestion;

/** The outcome of staging one file: rows accepted, lines rejected, lines read (without header). */
public record StagedFile(String file, long rows, long rejected, long lines) {

    public double rejectRatio() {
        return lines == 0 ? 0 : (double) rejected / lines;
    }
}
