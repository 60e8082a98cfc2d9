package dev.shardman.cli.render;

import org.w3c.dom.Document;
import org.xml.sax.InputSource;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.IOException;
import java.io.StringReader;

import static org.junit.jupiter.api.Assertions.fail;

/**
 * The report page parsed by the JDK's XML parser: it is XHTML, so a well-formed page parses and an unescaped {@code <} or
 * {@code &} in a name fails here. No DTD is fetched (the page declares none but {@code <!DOCTYPE html>}).
 */
public final class XhtmlPage {
    private XhtmlPage() {
    }

    /** The page's document; fails the test, with the parser's line and column, when it is not well-formed. */
    public static Document parse(String page) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/nonvalidating/load-external-dtd", false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(null);
            return builder.parse(new InputSource(new StringReader(page)));
        } catch (SAXException notWellFormed) {
            return fail("the report is not well-formed XHTML: " + notWellFormed.getMessage() + "\n" + page);
        } catch (ParserConfigurationException | IOException unexpected) {
            throw new IllegalStateException(unexpected);
        }
    }

    /** Every text of the page (names unescaped), for "does it name X" checks. */
    public static String text(String page) {
        return parse(page).getDocumentElement().getTextContent();
    }
}
