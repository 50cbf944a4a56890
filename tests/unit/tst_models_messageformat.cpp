// The detail panel's renderings: text with invalid bytes escaped, JSON, hex, base64, and
// the difference between null and empty.
#include "browser/messageformat.h"

#include <QTest>

using periscope::models::MessageFormat;
using periscope::models::MessageFormatter;

class TestMessageFormat : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void detect_data()
    {
        QTest::addColumn<QByteArray>("bytes");
        QTest::addColumn<int>("format");
        QTest::newRow("object") << QByteArray(R"({"a": 1})") << int(MessageFormat::Json);
        QTest::newRow("array") << QByteArray(" [1,2]") << int(MessageFormat::Json);
        QTest::newRow("broken json") << QByteArray("{oops") << int(MessageFormat::Text);
        QTest::newRow("text") << QByteArray("héllo wörld\n") << int(MessageFormat::Text);
        QTest::newRow("binary") << QByteArray("\x1f\x8b\x08\x00", 4) << int(MessageFormat::Hex);
        QTest::newRow("invalid utf-8") << QByteArray("ab\xff\xfe") << int(MessageFormat::Hex);
    }

    void detect()
    {
        QFETCH(QByteArray, bytes);
        QFETCH(int, format);
        QCOMPARE(int(MessageFormatter::detect(bytes)), format);
    }

    void invalidBytesAreEscaped()
    {
        QCOMPARE(MessageFormatter::escapedText(QByteArray("ok\xff-\xc3\xa9-\xc3")),
                 QStringLiteral("ok\\xff-é-\\xc3"));
    }

    void nullIsNotEmpty()
    {
        const auto null = MessageFormatter::render({}, true, MessageFormat::Auto);
        const auto empty = MessageFormatter::render(QByteArray(""), false, MessageFormat::Auto);
        QCOMPARE(null.text, QStringLiteral("null"));
        QVERIFY(null.note.contains(QStringLiteral("null")));
        QCOMPARE(empty.text, QString());
        QVERIFY(empty.note.contains(QStringLiteral("empty")));
    }

    void jsonIsPretty()
    {
        const auto r = MessageFormatter::render(R"({"a":{"b":[1,2]}})", false, MessageFormat::Auto);
        QCOMPARE(r.format, MessageFormat::Json);
        QVERIFY(r.text.contains(QStringLiteral("\n        \"b\": [")));
        const auto bad = MessageFormatter::render("{nope", false, MessageFormat::Json);
        QVERIFY(bad.note.startsWith(QStringLiteral("not valid JSON")));
    }

    void hexAndBase64()
    {
        const QByteArray bytes("\x00\x01"
                               "ABC",
                               5);
        QCOMPARE(MessageFormatter::render(bytes, false, MessageFormat::Hex).text,
                 QStringLiteral("00000000  00 01 41 42 43") +
                     QString(1 + 11 * 3 + 1, QLatin1Char(' ')) + QStringLiteral(" ..ABC\n"));
        QCOMPARE(MessageFormatter::render(bytes, false, MessageFormat::Base64).text,
                 QStringLiteral("AAFBQkM="));
    }

    void hugeValuesAreCut()
    {
        const QByteArray big(50 * 1024 * 1024, 'x');
        const auto r = MessageFormatter::render(big, false, MessageFormat::Auto);
        QCOMPARE(r.text.size(), qsizetype(1 << 20));
        QVERIFY(r.note.contains(QStringLiteral("first")));
    }
};

QTEST_GUILESS_MAIN(TestMessageFormat)
#include "tst_models_messageformat.moc"
