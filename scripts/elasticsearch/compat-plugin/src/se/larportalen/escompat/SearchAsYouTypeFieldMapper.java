/*
 * Test-only "search_as_you_type" field type for the local Elasticsearch used by
 * scripts/services.sh (the Maven Central integ-test-zip lacks the mapper-extras module).
 *
 * Behaviour follows the public Elasticsearch reference for search_as_you_type:
 *   - the root field is analyzed text (analyzer / search_analyzer / search_quote_analyzer),
 *   - sub-fields <field>._2gram ... <field>._{max_shingle_size}gram hold word shingles,
 *   - <field>._index_prefix holds edge n-grams (1..20 chars) of the words and shingles,
 *   - max_shingle_size is 2..4 (default 3).
 * Queries (match_bool_prefix, multi_match type bool_prefix, match_phrase_prefix, prefix)
 * run against these as ordinary text fields; prefix queries are not rerouted to
 * _index_prefix (results are the same, only slower on big indices).
 */
package se.larportalen.escompat;

import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.AnalyzerWrapper;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.ngram.EdgeNGramTokenFilter;
import org.apache.lucene.analysis.shingle.FixedShingleFilter;
import org.apache.lucene.analysis.shingle.ShingleFilter;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.FieldType;
import org.apache.lucene.index.IndexOptions;
import org.elasticsearch.index.IndexVersion;
import org.elasticsearch.index.analysis.AnalyzerScope;
import org.elasticsearch.index.analysis.IndexAnalyzers;
import org.elasticsearch.index.analysis.NamedAnalyzer;
import org.elasticsearch.index.mapper.DocumentParserContext;
import org.elasticsearch.index.mapper.FieldMapper;
import org.elasticsearch.index.mapper.Mapper;
import org.elasticsearch.index.mapper.MapperBuilderContext;
import org.elasticsearch.index.mapper.TextFieldMapper;
import org.elasticsearch.index.mapper.TextParams;
import org.elasticsearch.index.mapper.TextSearchInfo;
import org.elasticsearch.index.mapper.ValueFetcher;
import org.elasticsearch.index.mapper.SourceValueFetcher;
import org.elasticsearch.index.query.SearchExecutionContext;
import org.elasticsearch.index.similarity.SimilarityProvider;
import org.elasticsearch.xcontent.XContentParser;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

public final class SearchAsYouTypeFieldMapper extends FieldMapper {

    public static final String CONTENT_TYPE = "search_as_you_type";
    static final int PREFIX_MIN_CHARS = 1;
    static final int PREFIX_MAX_CHARS = 20;

    public static final TypeParser PARSER = new TypeParser(
        (n, c) -> new Builder(n, c.getIndexAnalyzers(), c.indexVersionCreated())
    );

    private static SearchAsYouTypeFieldMapper toType(FieldMapper m) {
        return (SearchAsYouTypeFieldMapper) m;
    }

    public static final class Builder extends FieldMapper.Builder {
        final Parameter<Boolean> index = Parameter.indexParam(m -> toType(m).index, true);
        final Parameter<Boolean> store = Parameter.storeParam(m -> toType(m).store, false);
        final Parameter<Integer> maxShingleSize = Parameter.intParam("max_shingle_size", false,
            m -> toType(m).maxShingleSize, 3).addValidator(v -> {
                if (v < 2 || v > 4) {
                    throw new IllegalArgumentException("[max_shingle_size] must be at least [2] and at most [4], got [" + v + "]");
                }
            }).alwaysSerialize();
        final TextParams.Analyzers analyzers;
        final Parameter<SimilarityProvider> similarity = TextParams.similarity(m -> toType(m).similarity);
        final Parameter<String> indexOptions = TextParams.textIndexOptions(m -> toType(m).indexOptions);
        final Parameter<Boolean> norms = TextParams.norms(true, m -> toType(m).norms);
        final Parameter<String> termVectors = TextParams.termVectors(m -> toType(m).termVectors);
        final Parameter<Map<String, String>> meta = Parameter.metaParam();
        final IndexVersion version;

        public Builder(String name, IndexAnalyzers indexAnalyzers, IndexVersion version) {
            super(name);
            this.version = version;
            this.analyzers = new TextParams.Analyzers(indexAnalyzers, m -> toType(m).indexAnalyzer,
                m -> toType(m).positionIncrementGap, version);
        }

        @Override
        protected Parameter<?>[] getParameters() {
            return new Parameter<?>[] {
                index, store, maxShingleSize, analyzers.indexAnalyzer, analyzers.searchAnalyzer,
                analyzers.searchQuoteAnalyzer, similarity, indexOptions, norms, termVectors, meta };
        }

        @Override
        public SearchAsYouTypeFieldMapper build(MapperBuilderContext context) {
            FieldType ft = new FieldType(TextParams.buildFieldType(index, store, indexOptions, norms, termVectors));
            ft.freeze();
            NamedAnalyzer indexAnalyzer = analyzers.getIndexAnalyzer();
            NamedAnalyzer searchAnalyzer = analyzers.getSearchAnalyzer();
            NamedAnalyzer searchQuoteAnalyzer = analyzers.getSearchQuoteAnalyzer();
            String fullName = context.buildFullName(leafName());
            int max = maxShingleSize.getValue();

            RootType rootType = new RootType(fullName, index.getValue(), store.getValue(),
                new TextSearchInfo(ft, similarity.getValue(), searchAnalyzer, searchQuoteAnalyzer), meta.getValue());

            // Sub-fields are not stored and carry no term vectors.
            FieldType subFt = new FieldType(ft);
            subFt.setStored(false);
            subFt.setStoreTermVectors(false);
            subFt.setStoreTermVectorPositions(false);
            subFt.setStoreTermVectorOffsets(false);
            subFt.freeze();

            List<SubFieldMapper> shingles = new ArrayList<>();
            for (int n = 2; n <= max; n++) {
                String subName = fullName + "._" + n + "gram";
                int size = n;
                NamedAnalyzer idx = wrap(indexAnalyzer, ts -> new FixedShingleFilter(ts, size));
                NamedAnalyzer search = wrap(searchAnalyzer, ts -> new FixedShingleFilter(ts, size));
                NamedAnalyzer quote = wrap(searchQuoteAnalyzer, ts -> new FixedShingleFilter(ts, size));
                SubType t = new SubType(subName, fullName, new TextSearchInfo(subFt, similarity.getValue(), search, quote));
                shingles.add(new SubFieldMapper(t, subFt, idx));
            }

            FieldType prefixFt = new FieldType();
            prefixFt.setTokenized(true);
            prefixFt.setOmitNorms(true);
            prefixFt.setIndexOptions(ft.indexOptions() == IndexOptions.NONE ? IndexOptions.NONE : IndexOptions.DOCS);
            prefixFt.freeze();
            String prefixName = fullName + "._index_prefix";
            // Unigrams and shingles up to max_shingle_size, each cut into edge n-grams, so that
            // any word or run of words can be matched by its beginning.
            NamedAnalyzer prefixIndex = wrap(indexAnalyzer,
                ts -> new EdgeNGramTokenFilter(shingles(ts, max), PREFIX_MIN_CHARS, PREFIX_MAX_CHARS, true));
            NamedAnalyzer prefixSearch = wrap(searchAnalyzer, ts -> shingles(ts, max));
            SubType prefixType = new SubType(prefixName, fullName,
                new TextSearchInfo(prefixFt, similarity.getValue(), prefixSearch, prefixSearch));
            SubFieldMapper prefix = new SubFieldMapper(prefixType, prefixFt, prefixIndex);

            return new SearchAsYouTypeFieldMapper(leafName(), rootType, builderParams(this, context), this, ft,
                indexAnalyzer, shingles, prefix);
        }
    }

    static TokenStream shingles(TokenStream in, int max) {
        ShingleFilter f = new ShingleFilter(in, 2, max);
        f.setOutputUnigrams(true);
        f.setFillerToken("");
        return f;
    }

    interface StreamWrap {
        TokenStream wrap(TokenStream in);
    }

    static NamedAnalyzer wrap(NamedAnalyzer base, StreamWrap w) {
        Analyzer wrapped = new AnalyzerWrapper(Analyzer.PER_FIELD_REUSE_STRATEGY) {
            @Override protected Analyzer getWrappedAnalyzer(String fieldName) { return base.analyzer(); }
            @Override protected TokenStreamComponents wrapComponents(String fieldName, TokenStreamComponents c) {
                return new TokenStreamComponents(c.getSource(), w.wrap(c.getTokenStream()));
            }
            @Override public int getPositionIncrementGap(String fieldName) { return base.getPositionIncrementGap(fieldName); }
        };
        return new NamedAnalyzer(base.name(), AnalyzerScope.INDEX, wrapped);
    }

    /** Field type of the root field: analyzed text that reports its type as search_as_you_type. */
    static final class RootType extends TextFieldMapper.TextFieldType {
        RootType(String name, boolean indexed, boolean stored, TextSearchInfo tsi, Map<String, String> meta) {
            super(name, indexed, stored, tsi, false, null, meta, false, false);
        }
        @Override public String typeName() { return CONTENT_TYPE; }
    }

    /** Field type of the shingle and prefix sub-fields; values are fetched from the root field. */
    static final class SubType extends TextFieldMapper.TextFieldType {
        private final String parent;
        SubType(String name, String parent, TextSearchInfo tsi) {
            super(name, true, false, tsi, false, null, Map.of(), false, false);
            this.parent = parent;
        }
        @Override public String typeName() { return CONTENT_TYPE; }
        @Override public ValueFetcher valueFetcher(SearchExecutionContext context, String format) {
            return SourceValueFetcher.toString(parent, context, format);
        }
    }

    /** Mapper for a sub-field: exists so the sub-field is known to the mapping and gets its analyzer. */
    static final class SubFieldMapper extends FieldMapper {
        final FieldType luceneType;
        final NamedAnalyzer indexAnalyzer;
        SubFieldMapper(SubType type, FieldType luceneType, NamedAnalyzer indexAnalyzer) {
            super(type.name(), type, BuilderParams.empty());
            this.luceneType = luceneType;
            this.indexAnalyzer = indexAnalyzer;
        }
        @Override public Map<String, NamedAnalyzer> indexAnalyzers() { return Map.of(fieldType().name(), indexAnalyzer); }
        @Override protected void parseCreateField(DocumentParserContext context) {
            throw new UnsupportedOperationException("sub-field of [" + CONTENT_TYPE + "] is filled by its parent");
        }
        @Override public FieldMapper.Builder getMergeBuilder() { return null; }
        @Override protected String contentType() { return CONTENT_TYPE; }
        @Override public String fullPath() { return fieldType().name(); }
    }

    private final boolean index;
    private final boolean store;
    private final int maxShingleSize;
    private final NamedAnalyzer indexAnalyzer;
    private final int positionIncrementGap;
    private final SimilarityProvider similarity;
    private final String indexOptions;
    private final boolean norms;
    private final String termVectors;
    private final IndexAnalyzers indexAnalyzers;
    private final IndexVersion indexVersion;
    private final FieldType luceneType;
    private final List<SubFieldMapper> shingleFields;
    private final SubFieldMapper prefixField;

    private SearchAsYouTypeFieldMapper(String leafName, RootType type, BuilderParams params, Builder b, FieldType ft,
                                       NamedAnalyzer indexAnalyzer, List<SubFieldMapper> shingles, SubFieldMapper prefix) {
        super(leafName, type, params);
        this.index = b.index.getValue();
        this.store = b.store.getValue();
        this.maxShingleSize = b.maxShingleSize.getValue();
        this.indexAnalyzer = b.analyzers.indexAnalyzer.getValue();
        this.positionIncrementGap = b.analyzers.positionIncrementGap.getValue();
        this.similarity = b.similarity.getValue();
        this.indexOptions = b.indexOptions.getValue();
        this.norms = b.norms.getValue();
        this.termVectors = b.termVectors.getValue();
        this.indexAnalyzers = b.analyzers.indexAnalyzers;
        this.indexVersion = b.version;
        this.luceneType = ft;
        this.shingleFields = shingles;
        this.prefixField = prefix;
    }

    @Override
    public Map<String, NamedAnalyzer> indexAnalyzers() {
        Map<String, NamedAnalyzer> m = new HashMap<>();
        m.put(fieldType().name(), indexAnalyzer);
        return m;
    }

    @Override
    protected void parseCreateField(DocumentParserContext context) throws IOException {
        XContentParser parser = context.parser();
        String value = parser.currentToken() == XContentParser.Token.VALUE_NULL ? null : parser.textOrNull();
        if (value == null) {
            return;
        }
        if (luceneType.indexOptions() == IndexOptions.NONE && !luceneType.stored()) {
            return;
        }
        context.doc().add(new Field(fieldType().name(), value, luceneType));
        if (luceneType.indexOptions() != IndexOptions.NONE) {
            for (SubFieldMapper s : shingleFields) {
                context.doc().add(new Field(s.fieldType().name(), value, s.luceneType));
            }
            context.doc().add(new Field(prefixField.fieldType().name(), value, prefixField.luceneType));
        }
        if (luceneType.omitNorms()) {
            context.addToFieldNames(fieldType().name());
        }
    }

    @Override
    public FieldMapper.Builder getMergeBuilder() {
        return new Builder(leafName(), indexAnalyzers, indexVersion).init(this);
    }

    @Override
    protected String contentType() {
        return CONTENT_TYPE;
    }

    @Override
    public Iterator<Mapper> iterator() {
        List<Mapper> all = new ArrayList<>();
        super.iterator().forEachRemaining(all::add);
        all.addAll(shingleFields);
        all.add(prefixField);
        return all.iterator();
    }
}
