/*
 * Test-only analysis components for the local Elasticsearch used by scripts/services.sh.
 *
 * The only Elasticsearch 8 server distribution on Maven Central (integ-test-zip) ships
 * without the analysis-common module. This file registers, under the same names and with
 * the same main settings, the analysis components the project (and Wagtail's
 * Elasticsearch backend) use, each a thin wrapper around the Lucene class that
 * analysis-common itself wraps. It is written from the public Elasticsearch reference
 * documentation, not copied from Elasticsearch's sources.
 */
package se.larportalen.escompat;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.CharArraySet;
import org.apache.lucene.analysis.TokenFilter;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.Tokenizer;
import org.apache.lucene.analysis.charfilter.HTMLStripCharFilter;
import org.apache.lucene.analysis.charfilter.MappingCharFilter;
import org.apache.lucene.analysis.charfilter.NormalizeCharMap;
import org.apache.lucene.analysis.classic.ClassicTokenizer;
import org.apache.lucene.analysis.core.DecimalDigitFilter;
import org.apache.lucene.analysis.core.FlattenGraphFilter;
import org.apache.lucene.analysis.core.KeywordTokenizer;
import org.apache.lucene.analysis.core.LetterTokenizer;
import org.apache.lucene.analysis.core.UpperCaseFilter;
import org.apache.lucene.analysis.core.WhitespaceTokenizer;
import org.apache.lucene.analysis.email.UAX29URLEmailTokenizer;
import org.apache.lucene.analysis.en.EnglishAnalyzer;
import org.apache.lucene.analysis.en.EnglishMinimalStemFilter;
import org.apache.lucene.analysis.en.EnglishPossessiveFilter;
import org.apache.lucene.analysis.en.KStemFilter;
import org.apache.lucene.analysis.en.PorterStemFilter;
import org.apache.lucene.analysis.miscellaneous.ASCIIFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.LengthFilter;
import org.apache.lucene.analysis.miscellaneous.RemoveDuplicatesTokenFilter;
import org.apache.lucene.analysis.miscellaneous.ScandinavianFoldingFilter;
import org.apache.lucene.analysis.miscellaneous.ScandinavianNormalizationFilter;
import org.apache.lucene.analysis.miscellaneous.SetKeywordMarkerFilter;
import org.apache.lucene.analysis.miscellaneous.TrimFilter;
import org.apache.lucene.analysis.miscellaneous.TruncateTokenFilter;
import org.apache.lucene.analysis.miscellaneous.WordDelimiterGraphFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenizer;
import org.apache.lucene.analysis.ngram.NGramTokenFilter;
import org.apache.lucene.analysis.ngram.NGramTokenizer;
import org.apache.lucene.analysis.pattern.PatternReplaceCharFilter;
import org.apache.lucene.analysis.pattern.PatternReplaceFilter;
import org.apache.lucene.analysis.pattern.PatternTokenizer;
import org.apache.lucene.analysis.reverse.ReverseStringFilter;
import org.apache.lucene.analysis.snowball.SnowballFilter;
import org.apache.lucene.analysis.sv.SwedishAnalyzer;
import org.apache.lucene.analysis.sv.SwedishLightStemFilter;
import org.apache.lucene.analysis.synonym.SolrSynonymParser;
import org.apache.lucene.analysis.synonym.SynonymFilter;
import org.apache.lucene.analysis.synonym.SynonymGraphFilter;
import org.apache.lucene.analysis.synonym.SynonymMap;
import org.apache.lucene.analysis.synonym.WordnetSynonymParser;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.analysis.tokenattributes.OffsetAttribute;
import org.apache.lucene.analysis.util.ElisionFilter;
import org.elasticsearch.common.settings.Settings;
import org.elasticsearch.env.Environment;
import org.elasticsearch.index.IndexService;
import org.elasticsearch.index.IndexSettings;
import org.elasticsearch.index.analysis.AbstractIndexAnalyzerProvider;
import org.elasticsearch.index.analysis.Analysis;
import org.elasticsearch.index.analysis.AnalysisMode;
import org.elasticsearch.index.analysis.AnalyzerProvider;
import org.elasticsearch.index.analysis.CharFilterFactory;
import org.elasticsearch.index.analysis.CustomAnalyzer;
import org.elasticsearch.index.analysis.NormalizingCharFilterFactory;
import org.elasticsearch.index.analysis.NormalizingTokenFilterFactory;
import org.elasticsearch.index.analysis.PreConfiguredCharFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenFilter;
import org.elasticsearch.index.analysis.PreConfiguredTokenizer;
import org.elasticsearch.index.analysis.TokenFilterFactory;
import org.elasticsearch.index.analysis.TokenizerFactory;
import org.elasticsearch.indices.analysis.AnalysisModule.AnalysisProvider;
import org.tartarus.snowball.ext.DanishStemmer;
import org.tartarus.snowball.ext.EnglishStemmer;
import org.tartarus.snowball.ext.FinnishStemmer;
import org.tartarus.snowball.ext.GermanStemmer;
import org.tartarus.snowball.ext.NorwegianStemmer;
import org.tartarus.snowball.ext.SwedishStemmer;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.function.IntPredicate;
import java.util.function.UnaryOperator;
import java.util.regex.Pattern;

final class CompatAnalysis {
    private CompatAnalysis() {}

    // ------------------------------------------------------------------ helpers

    /** A configurable token filter: settings are read once, the function builds the stream. */
    private static TokenFilterFactory filter(String name, boolean normalizing, UnaryOperator<TokenStream> fn) {
        if (normalizing) {
            return new NormalizingTokenFilterFactory() {
                @Override public String name() { return name; }
                @Override public TokenStream create(TokenStream in) { return fn.apply(in); }
            };
        }
        return new TokenFilterFactory() {
            @Override public String name() { return name; }
            @Override public TokenStream create(TokenStream in) { return fn.apply(in); }
        };
    }

    private static CharArraySet words(List<String> list, boolean ignoreCase) {
        return new CharArraySet(list, ignoreCase);
    }

    private static void checkNgramDiff(IndexSettings idx, int min, int max, String what) {
        int allowed = idx.getMaxNgramDiff();
        if (max - min > allowed) {
            throw new IllegalArgumentException("The difference between max_gram and min_gram in " + what
                + " must be less than or equal to: [" + allowed + "] but was [" + (max - min)
                + "]. This limit can be set by changing the [" + IndexSettings.MAX_NGRAM_DIFF_SETTING.getKey()
                + "] index level setting.");
        }
    }

    /** token_chars for (edge_)ngram tokenizers; empty list means "keep all characters". */
    private static IntPredicate tokenChars(Settings s) {
        List<String> classes = s.getAsList("token_chars", List.of());
        if (classes.isEmpty()) {
            return c -> true;
        }
        String custom = s.get("custom_token_chars", "");
        Set<Integer> customChars = new HashSet<>();
        custom.codePoints().forEach(customChars::add);
        List<IntPredicate> preds = new ArrayList<>();
        for (String c : classes) {
            switch (c.toLowerCase(Locale.ROOT)) {
                case "letter" -> preds.add(Character::isLetter);
                case "digit" -> preds.add(Character::isDigit);
                case "whitespace" -> preds.add(Character::isWhitespace);
                case "punctuation" -> preds.add(ch -> {
                    int t = Character.getType(ch);
                    return t == Character.START_PUNCTUATION || t == Character.END_PUNCTUATION
                        || t == Character.OTHER_PUNCTUATION || t == Character.CONNECTOR_PUNCTUATION
                        || t == Character.DASH_PUNCTUATION || t == Character.INITIAL_QUOTE_PUNCTUATION
                        || t == Character.FINAL_QUOTE_PUNCTUATION;
                });
                case "symbol" -> preds.add(ch -> {
                    int t = Character.getType(ch);
                    return t == Character.CURRENCY_SYMBOL || t == Character.MATH_SYMBOL
                        || t == Character.OTHER_SYMBOL || t == Character.MODIFIER_SYMBOL;
                });
                case "custom" -> preds.add(customChars::contains);
                default -> throw new IllegalArgumentException("Unknown token type: '" + c
                    + "', must be one of [letter, digit, whitespace, punctuation, symbol, custom]");
            }
        }
        return ch -> {
            for (IntPredicate p : preds) {
                if (p.test(ch)) return true;
            }
            return false;
        };
    }

    /** The "lowercase" tokenizer: splits on non-letters and lower-cases each token. */
    static final class LowerCaseTokenizer extends Tokenizer {
        private static final int MAX_TOKEN_LENGTH = 255;
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final OffsetAttribute offset = addAttribute(OffsetAttribute.class);
        private int consumed; // UTF-16 units read from input so far
        private int pendingHigh = -1;

        /** Next code point from input, or -1 at the end. */
        private int nextCodePoint() throws IOException {
            int c = input.read();
            if (c < 0) return -1;
            consumed++;
            if (Character.isHighSurrogate((char) c)) {
                int d = input.read();
                if (d < 0) return c;
                consumed++;
                if (Character.isLowSurrogate((char) d)) return Character.toCodePoint((char) c, (char) d);
                pendingHigh = d; // unpaired: treat the next unit on its own
                return c;
            }
            return c;
        }

        @Override public boolean incrementToken() throws IOException {
            clearAttributes();
            int start = -1, end = -1;
            while (true) {
                int c;
                if (pendingHigh >= 0) { c = pendingHigh; pendingHigh = -1; } else { c = nextCodePoint(); }
                if (c < 0) { end = consumed; break; }
                if (Character.isLetter(c)) {
                    if (start < 0) start = consumed - Character.charCount(c);
                    term.append(new String(Character.toChars(Character.toLowerCase(c))));
                    if (term.length() >= MAX_TOKEN_LENGTH) { end = consumed; break; }
                } else if (start >= 0) {
                    end = consumed - Character.charCount(c);
                    break;
                }
            }
            if (start < 0) return false;
            offset.setOffset(correctOffset(start), correctOffset(end));
            return true;
        }

        @Override public void end() throws IOException {
            super.end();
            int f = correctOffset(consumed);
            offset.setOffset(f, f);
        }

        @Override public void reset() throws IOException {
            super.reset();
            consumed = 0;
            pendingHigh = -1;
        }
    }

    /** Unique filter: drops tokens whose text has been seen before in the stream. */
    static final class UniqueFilter extends TokenFilter {
        private final CharTermAttribute term = addAttribute(CharTermAttribute.class);
        private final CharArraySet seen = new CharArraySet(8, false);
        UniqueFilter(TokenStream in) { super(in); }
        @Override public boolean incrementToken() throws IOException {
            while (input.incrementToken()) {
                char[] copy = new char[term.length()];
                System.arraycopy(term.buffer(), 0, copy, 0, term.length());
                if (!seen.contains(copy, 0, copy.length)) {
                    seen.add(copy);
                    return true;
                }
            }
            return false;
        }
        @Override public void reset() throws IOException { super.reset(); seen.clear(); }
    }

    /** Stemmers by the language names the stemmer filter accepts. */
    static UnaryOperator<TokenStream> stemmer(String language) {
        return switch (language.toLowerCase(Locale.ROOT)) {
            case "swedish" -> ts -> new SnowballFilter(ts, new SwedishStemmer());
            case "light_swedish" -> SwedishLightStemFilter::new;
            case "english", "porter" -> PorterStemFilter::new;
            case "porter2" -> ts -> new SnowballFilter(ts, new EnglishStemmer());
            case "light_english", "kstem" -> KStemFilter::new;
            case "minimal_english" -> EnglishMinimalStemFilter::new;
            case "possessive_english" -> EnglishPossessiveFilter::new;
            case "norwegian" -> ts -> new SnowballFilter(ts, new NorwegianStemmer());
            case "danish" -> ts -> new SnowballFilter(ts, new DanishStemmer());
            case "finnish" -> ts -> new SnowballFilter(ts, new FinnishStemmer());
            case "german" -> ts -> new SnowballFilter(ts, new GermanStemmer());
            default -> throw new IllegalArgumentException("stemmer language [" + language
                + "] is not supported by the local test Elasticsearch (scripts/elasticsearch/compat-plugin)");
        };
    }

    private static SynonymMap parseSynonyms(Environment env, Settings s, Analyzer analyzer, String name) {
        boolean expand = s.getAsBoolean("expand", true);
        boolean lenient = s.getAsBoolean("lenient", false);
        String format = s.get("format", "solr");
        try {
            Reader reader;
            if (s.get("synonyms_path") != null) {
                reader = Analysis.getReaderFromFile(env, s.get("synonyms_path"), "synonyms_path");
            } else if (s.get("synonyms_set") != null) {
                throw new IllegalArgumentException("synonyms_set is not supported by the local test Elasticsearch");
            } else {
                List<String> rules = Analysis.getWordList(env, s, "synonyms");
                reader = new StringReader(String.join("\n", rules == null ? List.of() : rules));
            }
            SynonymMap.Parser parser = "wordnet".equalsIgnoreCase(format)
                ? new WordnetSynonymParser(true, expand, analyzer)
                : new SolrSynonymParser(true, expand, analyzer);
            try {
                parser.parse(reader);
            } catch (Exception e) {
                if (!lenient) throw e;
            }
            return parser.build();
        } catch (IllegalArgumentException e) {
            throw e;
        } catch (Exception e) {
            throw new IllegalArgumentException("failed to build synonyms for [" + name + "]: " + e.getMessage(), e);
        }
    }

    /** synonym / synonym_graph: synonyms are analyzed with the chain that precedes the filter. */
    private static TokenFilterFactory synonymFactory(Environment env, String name, Settings s, boolean graph) {
        boolean updateable = s.getAsBoolean("updateable", false);
        return new TokenFilterFactory() {
            @Override public String name() { return name; }
            @Override public TokenStream create(TokenStream in) {
                throw new IllegalStateException("synonym filter [" + name + "] used outside an analysis chain");
            }
            @Override public AnalysisMode getAnalysisMode() {
                return updateable ? AnalysisMode.SEARCH_TIME : AnalysisMode.ALL;
            }
            @Override public TokenFilterFactory getChainAwareTokenFilterFactory(
                IndexService.IndexCreationContext ctx, TokenizerFactory tokenizer, List<CharFilterFactory> charFilters,
                List<TokenFilterFactory> previous, Function<String, TokenFilterFactory> allFilters) {
                List<TokenFilterFactory> prev = new ArrayList<>();
                for (TokenFilterFactory f : previous) prev.add(f.getSynonymFilter());
                Analyzer chain = new CustomAnalyzer(tokenizer, charFilters.toArray(new CharFilterFactory[0]),
                    prev.toArray(new TokenFilterFactory[0]));
                SynonymMap map = parseSynonyms(env, s, chain, name);
                TokenFilterFactory outer = this;
                return new TokenFilterFactory() {
                    @Override public String name() { return name; }
                    @Override public TokenStream create(TokenStream in) {
                        if (map.fst == null) return in;
                        return graph ? new SynonymGraphFilter(in, map, false) : new SynonymFilter(in, map, false);
                    }
                    @Override public TokenFilterFactory getSynonymFilter() { return IDENTITY_FILTER; }
                    @Override public AnalysisMode getAnalysisMode() { return outer.getAnalysisMode(); }
                };
            }
            @Override public TokenFilterFactory getSynonymFilter() { return IDENTITY_FILTER; }
        };
    }

    private static int wdgFlags(Settings s) {
        int f = 0;
        if (s.getAsBoolean("generate_word_parts", true)) f |= WordDelimiterGraphFilter.GENERATE_WORD_PARTS;
        if (s.getAsBoolean("generate_number_parts", true)) f |= WordDelimiterGraphFilter.GENERATE_NUMBER_PARTS;
        if (s.getAsBoolean("catenate_words", false)) f |= WordDelimiterGraphFilter.CATENATE_WORDS;
        if (s.getAsBoolean("catenate_numbers", false)) f |= WordDelimiterGraphFilter.CATENATE_NUMBERS;
        if (s.getAsBoolean("catenate_all", false)) f |= WordDelimiterGraphFilter.CATENATE_ALL;
        if (s.getAsBoolean("split_on_case_change", true)) f |= WordDelimiterGraphFilter.SPLIT_ON_CASE_CHANGE;
        if (s.getAsBoolean("preserve_original", false)) f |= WordDelimiterGraphFilter.PRESERVE_ORIGINAL;
        if (s.getAsBoolean("split_on_numerics", true)) f |= WordDelimiterGraphFilter.SPLIT_ON_NUMERICS;
        if (s.getAsBoolean("stem_english_possessive", true)) f |= WordDelimiterGraphFilter.STEM_ENGLISH_POSSESSIVE;
        return f;
    }

    // ------------------------------------------------------------------ registrations

    static Map<String, AnalysisProvider<TokenFilterFactory>> tokenFilters() {
        Map<String, AnalysisProvider<TokenFilterFactory>> m = new LinkedHashMap<>();
        m.put("asciifolding", (idx, env, name, s) -> {
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return filter(name, true, ts -> new ASCIIFoldingFilter(ts, preserve));
        });
        m.put("uppercase", (idx, env, name, s) -> filter(name, true, UpperCaseFilter::new));
        m.put("stemmer", (idx, env, name, s) -> {
            String lang = s.get("language", s.get("name", "english"));
            return filter(name, false, stemmer(lang));
        });
        m.put("snowball", (idx, env, name, s) -> {
            String lang = s.get("language", "English");
            return filter(name, false, ts -> new SnowballFilter(ts, lang));
        });
        m.put("synonym", requiresSettings((idx, env, name, s) -> synonymFactory(env, name, s, false)));
        m.put("synonym_graph", requiresSettings((idx, env, name, s) -> synonymFactory(env, name, s, true)));
        m.put("ngram", (idx, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            checkNgramDiff(idx, min, max, "NGram Token Filter");
            return filter(name, false, ts -> new NGramTokenFilter(ts, min, max, preserve));
        });
        m.put("edge_ngram", (idx, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
            boolean preserve = s.getAsBoolean("preserve_original", false);
            return filter(name, false, ts -> new EdgeNGramTokenFilter(ts, min, max, preserve));
        });
        m.put("trim", (idx, env, name, s) -> filter(name, true, TrimFilter::new));
        m.put("truncate", (idx, env, name, s) -> {
            int len = s.getAsInt("length", 10);
            return filter(name, true, ts -> new TruncateTokenFilter(ts, len));
        });
        m.put("unique", (idx, env, name, s) -> filter(name, false, UniqueFilter::new));
        m.put("length", (idx, env, name, s) -> {
            int min = s.getAsInt("min", 0), max = s.getAsInt("max", Integer.MAX_VALUE);
            return filter(name, false, ts -> new LengthFilter(ts, min, max));
        });
        m.put("reverse", (idx, env, name, s) -> filter(name, false, ReverseStringFilter::new));
        m.put("elision", (idx, env, name, s) -> {
            CharArraySet articles = Analysis.parseArticles(env, s);
            CharArraySet set = articles == null ? new CharArraySet(List.of("l", "m", "t", "qu", "n", "s", "j"), true) : articles;
            return filter(name, true, ts -> new ElisionFilter(ts, set));
        });
        m.put("keyword_marker", (idx, env, name, s) -> {
            CharArraySet kw = words(s.getAsList("keywords", List.of()), s.getAsBoolean("ignore_case", false));
            return filter(name, false, ts -> new SetKeywordMarkerFilter(ts, kw));
        });
        m.put("word_delimiter_graph", (idx, env, name, s) -> {
            int flags = wdgFlags(s);
            boolean adjust = s.getAsBoolean("adjust_offsets", true);
            CharArraySet prot = words(s.getAsList("protected_words", List.of()), false);
            return filter(name, false, ts -> new WordDelimiterGraphFilter(ts, adjust,
                org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE, flags, prot));
        });
        m.put("flatten_graph", (idx, env, name, s) -> filter(name, false, FlattenGraphFilter::new));
        m.put("decimal_digit", (idx, env, name, s) -> filter(name, true, DecimalDigitFilter::new));
        m.put("remove_duplicates", (idx, env, name, s) -> filter(name, false, RemoveDuplicatesTokenFilter::new));
        m.put("pattern_replace", requiresSettings((idx, env, name, s) -> {
            Pattern p = Pattern.compile(s.get("pattern"));
            String repl = s.get("replacement", "");
            boolean all = s.getAsBoolean("all", true);
            return filter(name, true, ts -> new PatternReplaceFilter(ts, p, repl, all));
        }));
        m.put("porter_stem", (idx, env, name, s) -> filter(name, false, PorterStemFilter::new));
        m.put("kstem", (idx, env, name, s) -> filter(name, false, KStemFilter::new));
        m.put("scandinavian_folding", (idx, env, name, s) -> filter(name, true, ScandinavianFoldingFilter::new));
        m.put("scandinavian_normalization", (idx, env, name, s) -> filter(name, true, ScandinavianNormalizationFilter::new));
        return m;
    }

    private static <T> AnalysisProvider<T> requiresSettings(AnalysisProvider<T> p) {
        return new AnalysisProvider<T>() {
            @Override public T get(IndexSettings idx, Environment env, String name, Settings s) throws IOException {
                return p.get(idx, env, name, s);
            }
            @Override public boolean requiresAnalysisSettings() { return true; }
        };
    }

    static List<PreConfiguredTokenFilter> preConfiguredTokenFilters() {
        List<PreConfiguredTokenFilter> l = new ArrayList<>();
        l.add(PreConfiguredTokenFilter.singleton("asciifolding", true, ASCIIFoldingFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("uppercase", true, UpperCaseFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("trim", true, TrimFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("truncate", false, ts -> new TruncateTokenFilter(ts, 10)));
        l.add(PreConfiguredTokenFilter.singleton("unique", false, UniqueFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("reverse", false, ReverseStringFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("ngram", false, false, ts -> new NGramTokenFilter(ts, 1, 2, false)));
        l.add(PreConfiguredTokenFilter.singleton("edge_ngram", false, false, ts -> new EdgeNGramTokenFilter(ts, 1, 1, false)));
        l.add(PreConfiguredTokenFilter.singleton("flatten_graph", false, false, FlattenGraphFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("decimal_digit", true, DecimalDigitFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("remove_duplicates", false, RemoveDuplicatesTokenFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("porter_stem", false, PorterStemFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("kstem", false, KStemFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("word_delimiter_graph", false, false,
            ts -> new WordDelimiterGraphFilter(ts, true,
                org.apache.lucene.analysis.miscellaneous.WordDelimiterIterator.DEFAULT_WORD_DELIM_TABLE,
                wdgFlags(Settings.EMPTY), null)));
        l.add(PreConfiguredTokenFilter.singleton("scandinavian_folding", true, ScandinavianFoldingFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("scandinavian_normalization", true, ScandinavianNormalizationFilter::new));
        l.add(PreConfiguredTokenFilter.singleton("elision", true,
            ts -> new ElisionFilter(ts, new CharArraySet(List.of("l", "m", "t", "qu", "n", "s", "j"), true))));
        return l;
    }

    static Map<String, AnalysisProvider<TokenizerFactory>> tokenizers() {
        Map<String, AnalysisProvider<TokenizerFactory>> m = new LinkedHashMap<>();
        m.put("whitespace", (idx, env, name, s) -> TokenizerFactory.newFactory(name, WhitespaceTokenizer::new));
        m.put("keyword", (idx, env, name, s) -> {
            int buf = s.getAsInt("buffer_size", 256);
            return TokenizerFactory.newFactory(name, () -> new KeywordTokenizer(buf));
        });
        m.put("letter", (idx, env, name, s) -> TokenizerFactory.newFactory(name, LetterTokenizer::new));
        m.put("lowercase", (idx, env, name, s) -> TokenizerFactory.newFactory(name, LowerCaseTokenizer::new));
        m.put("classic", (idx, env, name, s) -> TokenizerFactory.newFactory(name, ClassicTokenizer::new));
        m.put("uax_url_email", (idx, env, name, s) -> TokenizerFactory.newFactory(name, UAX29URLEmailTokenizer::new));
        m.put("pattern", (idx, env, name, s) -> {
            Pattern p = Pattern.compile(s.get("pattern", "\\W+"));
            int group = s.getAsInt("group", -1);
            return TokenizerFactory.newFactory(name, () -> new PatternTokenizer(p, group));
        });
        m.put("ngram", (idx, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
            checkNgramDiff(idx, min, max, "NGram Tokenizer");
            IntPredicate keep = tokenChars(s);
            return TokenizerFactory.newFactory(name, () -> new NGramTokenizer(min, max) {
                @Override protected boolean isTokenChar(int c) { return keep.test(c); }
            });
        });
        m.put("edge_ngram", (idx, env, name, s) -> {
            int min = s.getAsInt("min_gram", 1), max = s.getAsInt("max_gram", 2);
            IntPredicate keep = tokenChars(s);
            return TokenizerFactory.newFactory(name, () -> new EdgeNGramTokenizer(min, max) {
                @Override protected boolean isTokenChar(int c) { return keep.test(c); }
            });
        });
        return m;
    }

    static List<PreConfiguredTokenizer> preConfiguredTokenizers() {
        List<PreConfiguredTokenizer> l = new ArrayList<>();
        l.add(PreConfiguredTokenizer.singleton("whitespace", WhitespaceTokenizer::new));
        l.add(PreConfiguredTokenizer.singleton("keyword", KeywordTokenizer::new));
        l.add(PreConfiguredTokenizer.singleton("letter", LetterTokenizer::new));
        l.add(PreConfiguredTokenizer.singleton("lowercase", LowerCaseTokenizer::new));
        l.add(PreConfiguredTokenizer.singleton("classic", ClassicTokenizer::new));
        l.add(PreConfiguredTokenizer.singleton("uax_url_email", UAX29URLEmailTokenizer::new));
        l.add(PreConfiguredTokenizer.singleton("pattern", () -> new PatternTokenizer(Pattern.compile("\\W+"), -1)));
        l.add(PreConfiguredTokenizer.singleton("ngram", NGramTokenizer::new));
        l.add(PreConfiguredTokenizer.singleton("edge_ngram", () -> new EdgeNGramTokenizer(1, 1)));
        return l;
    }

    static Map<String, AnalysisProvider<CharFilterFactory>> charFilters() {
        Map<String, AnalysisProvider<CharFilterFactory>> m = new LinkedHashMap<>();
        m.put("html_strip", (idx, env, name, s) -> {
            Set<String> escaped = new HashSet<>(s.getAsList("escaped_tags", List.of()));
            return new CharFilterFactory() {
                @Override public String name() { return name; }
                @Override public Reader create(Reader r) { return new HTMLStripCharFilter(r, escaped); }
            };
        });
        m.put("mapping", requiresSettings((idx, env, name, s) -> {
            List<String> rules = Analysis.getWordList(env, s, "mappings");
            NormalizeCharMap.Builder b = new NormalizeCharMap.Builder();
            for (String rule : rules == null ? List.<String>of() : rules) {
                int i = rule.indexOf("=>");
                if (i < 0) throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
                String from = unescape(rule.substring(0, i).trim()), to = unescape(rule.substring(i + 2).trim());
                if (from.isEmpty()) throw new IllegalArgumentException("Invalid mapping rule : [" + rule + "]");
                b.add(from, to);
            }
            NormalizeCharMap map = b.build();
            return new NormalizingCharFilterFactory() {
                @Override public String name() { return name; }
                @Override public Reader create(Reader r) { return new MappingCharFilter(map, r); }
            };
        }));
        m.put("pattern_replace", requiresSettings((idx, env, name, s) -> {
            Pattern p = Pattern.compile(s.get("pattern"));
            String repl = s.get("replacement", "");
            return new NormalizingCharFilterFactory() {
                @Override public String name() { return name; }
                @Override public Reader create(Reader r) { return new PatternReplaceCharFilter(p, repl, r); }
            };
        }));
        return m;
    }

    static List<PreConfiguredCharFilter> preConfiguredCharFilters() {
        return List.of(PreConfiguredCharFilter.singleton("html_strip", false, HTMLStripCharFilter::new));
    }

    private static String unescape(String s) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '\\' && i + 1 < s.length()) {
                char n = s.charAt(++i);
                switch (n) {
                    case 'n' -> out.append('\n');
                    case 't' -> out.append('\t');
                    case 'r' -> out.append('\r');
                    case 'u' -> {
                        out.append((char) Integer.parseInt(s.substring(i + 1, i + 5), 16));
                        i += 4;
                    }
                    default -> out.append(n);
                }
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    static Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> analyzers() {
        Map<String, AnalysisProvider<AnalyzerProvider<? extends Analyzer>>> m = new LinkedHashMap<>();
        m.put("swedish", (idx, env, name, s) -> {
            SwedishAnalyzer a = new SwedishAnalyzer(
                Analysis.parseStopWords(env, s, SwedishAnalyzer.getDefaultStopSet()),
                Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET));
            return provider(name, s, a);
        });
        m.put("english", (idx, env, name, s) -> {
            EnglishAnalyzer a = new EnglishAnalyzer(
                Analysis.parseStopWords(env, s, EnglishAnalyzer.ENGLISH_STOP_WORDS_SET),
                Analysis.parseStemExclusion(s, CharArraySet.EMPTY_SET));
            return provider(name, s, a);
        });
        return m;
    }

    private static <T extends Analyzer> AnalyzerProvider<T> provider(String name, Settings s, T analyzer) {
        return new AbstractIndexAnalyzerProvider<T>(name, s) {
            @Override public T get() { return analyzer; }
        };
    }
}
