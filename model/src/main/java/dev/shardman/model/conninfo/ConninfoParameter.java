package dev.shardman.model.conninfo;

import static java.util.Objects.requireNonNull;

/** One keyword and its unquoted, unescaped value; prints with secrets hidden. */
record ConninfoParameter(String keyword, String value) {
    ConninfoParameter {
        requireNonNull(keyword, "keyword is null");
        requireNonNull(value, "value is null");
    }

    /** The value as it may appear in output: secrets are replaced by {@code ***}. */
    String displayValue() {
        return LibpqKeywords.isSecret(keyword) ? "***" : value;
    }

    @Override
    public String toString() {
        return keyword + "=" + KeywordValueSyntax.quote(displayValue());
    }
}
