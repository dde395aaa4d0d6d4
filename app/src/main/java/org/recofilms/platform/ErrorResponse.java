package org.recofilms.platform;

/** The JSON body of every error answer: a short machine-readable error and a sentence for people. */
public record ErrorResponse(String error, String detail) {}
