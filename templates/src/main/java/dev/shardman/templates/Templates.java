package dev.shardman.templates;

import dev.shardman.model.ErrorCode;
import dev.shardman.model.ShardmanException;
import freemarker.template.Configuration;
import freemarker.template.Template;
import freemarker.template.TemplateException;
import freemarker.template.TemplateExceptionHandler;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.TimeZone;

/**
 * The one Freemarker configuration of shardman: templates from the classpath under {@code /templates},
 * errors rethrown, Locale.ROOT and computer number format (so {@code 1000} never prints as {@code 1,000}).
 * Built once; thread-safe after construction.
 */
public final class Templates {
    private static final Templates SHARED = new Templates();

    private final Configuration configuration;

    private Templates() {
        configuration = new Configuration(Configuration.VERSION_2_3_34);
        configuration.setClassForTemplateLoading(Templates.class, "/templates");
        configuration.setDefaultEncoding(StandardCharsets.UTF_8.name());
        configuration.setOutputEncoding(StandardCharsets.UTF_8.name());
        configuration.setLocale(Locale.ROOT);
        configuration.setTimeZone(TimeZone.getTimeZone("UTC"));
        configuration.setNumberFormat("c");
        configuration.setTemplateExceptionHandler(TemplateExceptionHandler.RETHROW_HANDLER);
        configuration.setLogTemplateExceptions(false);
        configuration.setWrapUncheckedExceptions(true);
        configuration.setFallbackOnNullLoopVariable(false);
    }

    public static Templates shared() {
        return SHARED;
    }

    /** Renders {@code name} (a path under {@code templates/}, e.g. {@code text/plan.txt.ftl}) with the model. */
    public String render(String name, Map<String, Object> model) {
        try {
            Template template = configuration.getTemplate(name);
            StringWriter output = new StringWriter();
            template.process(model, output);
            return output.toString();
        } catch (IOException | TemplateException exception) {
            throw new ShardmanException(ErrorCode.INTERNAL, "cannot render template " + name + ": " + exception.getMessage(),
                    "this is a shardman bug", exception);
        }
    }
}
