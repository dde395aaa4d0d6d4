package org.recofilms.serving;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.SerializableString;
import com.fasterxml.jackson.core.io.SerializedString;
import com.fasterxml.jackson.core.util.ByteArrayBuilder;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.inject.Singleton;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.MultivaluedMap;
import jakarta.ws.rs.ext.Provider;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.annotation.Annotation;
import java.lang.reflect.Type;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import org.jboss.resteasy.reactive.server.spi.ResteasyReactiveResourceInfo;
import org.jboss.resteasy.reactive.server.spi.ServerMessageBodyWriter;
import org.jboss.resteasy.reactive.server.spi.ServerRequestContext;

/**
 * Writes GET /recommend's answer with Jackson's streaming generator instead of its data binding: the same
 * bytes as the ObjectMapper would write ({@code RecommendationWriterTest} compares them), without the
 * per-property reflection and list serializers, with the field names pre-encoded, and with each title and
 * genre encoded to JSON once and then reused (they are the catalogue's own strings, about 50 a request; their
 * escaping took a tenth of the event loop under load). The generator comes from the app's ObjectMapper, so its
 * settings ({@link org.recofilms.platform.JsonSettings}) apply.
 */
@Provider
@Produces(MediaType.APPLICATION_JSON)
public class RecommendationWriter implements ServerMessageBodyWriter<RecommendationService.Answer> {

    /** At most this many encoded strings are kept; beyond, the cache starts again (catalogues come and go). */
    static final int MAX_CACHED = 1 << 18;

    private static final SerializedString USER_ID = new SerializedString("user_id");
    private static final SerializedString STRATEGY = new SerializedString("strategy");
    private static final SerializedString REASON = new SerializedString("reason");
    private static final SerializedString REASON_DETAIL = new SerializedString("reason_detail");
    private static final SerializedString MODEL_VERSION = new SerializedString("model_version");
    private static final SerializedString FAMILY = new SerializedString("family");
    private static final SerializedString USER_RATINGS = new SerializedString("user_ratings");
    private static final SerializedString RECOMMENDATIONS = new SerializedString("recommendations");
    private static final SerializedString MOVIE_ID = new SerializedString("movie_id");
    private static final SerializedString TITLE = new SerializedString("title");
    private static final SerializedString GENRES = new SerializedString("genres");
    private static final SerializedString SCORE = new SerializedString("score");
    private static final SerializedString BECAUSE = new SerializedString("because");
    private static final SerializedString BECAUSE_TITLES = new SerializedString("because_titles");

    private final JsonFactory factory;
    private final EncodedStrings encoded;

    public RecommendationWriter(ObjectMapper mapper, EncodedStrings encoded) {
        this.factory = mapper.getFactory();
        this.encoded = encoded;
    }

    /**
     * Strings encoded to JSON once (a bean of its own, so that a test sees the writer at work): at most
     * {@code max} kept, and when full the cache starts again (catalogues come and go).
     */
    @Singleton
    public static class EncodedStrings {

        /** The mark of a string the generator writes itself. */
        private static final SerializedString GENERATOR_WRITES = new SerializedString("");

        private final int max;
        private final ConcurrentHashMap<String, SerializedString> strings = new ConcurrentHashMap<>();

        public EncodedStrings() {
            this(MAX_CACHED);
        }

        EncodedStrings(int max) {
            this.max = max;
        }

        /**
         * The string encoded, or null when the generator must write it itself: a string with a surrogate (an
         * emoji in a title, or a lone surrogate), which Jackson's UTF-8 generator writes as {@code \\u} escapes
         * where its string encoder would write the 4-byte UTF-8; such strings are remembered as not encodable.
         */
        SerializableString of(String value) {
            SerializedString s = strings.get(value);
            if (s == null) {
                if (strings.size() >= max) {
                    strings.clear();
                }
                s = hasSurrogate(value) ? GENERATOR_WRITES : new SerializedString(value);
                if (s != GENERATOR_WRITES) {
                    s.asQuotedUTF8(); // encode now, once
                }
                strings.put(value, s);
            }
            return s == GENERATOR_WRITES ? null : s;
        }

        private static boolean hasSurrogate(String value) {
            for (int i = 0, n = value.length(); i < n; i++) {
                if (Character.isSurrogate(value.charAt(i))) {
                    return true;
                }
            }
            return false;
        }

        /** How many strings are kept encoded. */
        public int size() {
            return strings.size();
        }
    }

    @Override
    public boolean isWriteable(
            Class<?> type, Type genericType, ResteasyReactiveResourceInfo target, MediaType mediaType) {
        return type == RecommendationService.Answer.class;
    }

    @Override
    public boolean isWriteable(Class<?> type, Type genericType, Annotation[] annotations, MediaType mediaType) {
        return type == RecommendationService.Answer.class;
    }

    @Override
    public void writeResponse(RecommendationService.Answer answer, Type genericType, ServerRequestContext context)
            throws IOException {
        context.serverResponse().end(bytes(answer));
    }

    @Override
    public void writeTo(
            RecommendationService.Answer answer,
            Class<?> type,
            Type genericType,
            Annotation[] annotations,
            MediaType mediaType,
            MultivaluedMap<String, Object> httpHeaders,
            OutputStream entityStream)
            throws IOException {
        entityStream.write(bytes(answer));
    }

    /** The answer as JSON, UTF-8. */
    byte[] bytes(RecommendationService.Answer answer) throws IOException {
        try (ByteArrayBuilder out = new ByteArrayBuilder(2048)) {
            try (JsonGenerator g = factory.createGenerator(out)) {
                write(g, answer);
            }
            return out.toByteArray();
        }
    }

    private void write(JsonGenerator g, RecommendationService.Answer a) throws IOException {
        g.writeStartObject();
        g.writeFieldName(USER_ID);
        g.writeNumber(a.userId());
        g.writeFieldName(STRATEGY);
        text(g, a.strategy());
        g.writeFieldName(REASON);
        text(g, a.reason());
        g.writeFieldName(REASON_DETAIL);
        text(g, a.reasonDetail());
        g.writeFieldName(MODEL_VERSION);
        text(g, a.modelVersion());
        g.writeFieldName(FAMILY);
        text(g, a.family());
        g.writeFieldName(USER_RATINGS);
        if (a.userRatings() == null) {
            g.writeNull();
        } else {
            g.writeNumber(a.userRatings());
        }
        g.writeFieldName(RECOMMENDATIONS);
        g.writeStartArray();
        for (RecommendationService.RecommendedMovie m : a.recommendations()) {
            g.writeStartObject();
            g.writeFieldName(MOVIE_ID);
            g.writeNumber(m.movieId());
            g.writeFieldName(TITLE);
            text(g, m.title());
            g.writeFieldName(GENRES);
            texts(g, m.genres());
            g.writeFieldName(SCORE);
            g.writeNumber(m.score());
            g.writeFieldName(BECAUSE);
            int[] because = m.because();
            if (because == null) {
                g.writeNull();
            } else {
                g.writeArray(because, 0, because.length);
            }
            g.writeFieldName(BECAUSE_TITLES);
            texts(g, m.becauseTitles());
            g.writeEndObject();
        }
        g.writeEndArray();
        g.writeEndObject();
    }

    private void texts(JsonGenerator g, List<String> values) throws IOException {
        if (values == null) {
            g.writeNull();
            return;
        }
        g.writeStartArray();
        for (int i = 0, n = values.size(); i < n; i++) {
            text(g, values.get(i));
        }
        g.writeEndArray();
    }

    /** A string, encoded once: the catalogue's titles and genres are the same String objects request after request. */
    private void text(JsonGenerator g, String value) throws IOException {
        if (value == null) {
            g.writeNull();
            return;
        }
        SerializableString s = encoded.of(value);
        if (s == null) {
            g.writeString(value); // a surrogate in it: as the data binding writes it
        } else {
            g.writeString(s);
        }
    }
}
