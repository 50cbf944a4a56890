// Export and import text: JSON lines that give back the exact bytes, the errors a broken
// line gets, CSV quoting, and the all-or-nothing reading of a file.
#include "client/messageimport.h"
#include "client/messagejson.h"

#include <QTemporaryDir>
#include <QTest>

using namespace periscope::client;

namespace {

using Bytes = std::optional<QByteArray>;

MessageBatch oneMessage(const Bytes &key, const Bytes &value,
                        const std::vector<MessageHeader> &headers = {},
                        qint64 timestamp = 1760000000000, quint8 timestampType = 1)
{
    MessageBatch b;
    b.append(2, 12, timestamp, timestampType, key ? key->constData() : nullptr,
             key ? key->size() : 0, value ? value->constData() : nullptr, value ? value->size() : 0,
             headers);
    return b;
}

} // namespace

Q_DECLARE_METATYPE(Bytes)

class TestMessageJson : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void roundTrip_data()
    {
        QTest::addColumn<Bytes>("key");
        QTest::addColumn<Bytes>("value");
        QTest::addColumn<QByteArray>("expected"); // a fragment of the line
        const QByteArray binary("\x00\x01\xff\xfe\x80", 5);
        QTest::newRow("null, null")
            << Bytes() << Bytes() << QByteArray("\"key\":null,\"value\":null");
        QTest::newRow("empty, empty")
            << Bytes("") << Bytes("") << QByteArray("\"key\":\"\",\"value\":\"\"");
        QTest::newRow("text") << Bytes("k1") << Bytes("{\"a\":\"b\\c\"}\n\t")
                              << QByteArray("\"value\":\"{\\\"a\\\":\\\"b\\\\c\\\"}\\n\\t\"");
        QTest::newRow("utf-8") << Bytes("schl\xc3\xbcssel") << Bytes("\xf0\x9f\x98\x80")
                               << QByteArray("\"key\":\"schl\xc3\xbcssel\"");
        QTest::newRow("control and nul") << Bytes(QByteArray("a\0b\x1f", 4)) << Bytes()
                                         << QByteArray("\"key\":\"a\\u0000b\\u001f\"");
        QTest::newRow("a leading bom is binary")
            << Bytes("\xef\xbb\xbfx") << Bytes("x\xef\xbb\xbf")
            << QByteArray("\"key\":{\"base64\":\"77u/eA==\"},\"value\":\"x\xef\xbb\xbf\"");
        QTest::newRow("invalid utf-8")
            << Bytes("\xc3\x28") << Bytes("ok\xff") << QByteArray("\"key\":{\"base64\":\"wyg=\"}");
        QTest::newRow("overlong") << Bytes("\xc0\xaf") << Bytes() << QByteArray("base64");
        QTest::newRow("surrogate") << Bytes("\xed\xa0\x80") << Bytes() << QByteArray("base64");
        QTest::newRow("binary") << Bytes(binary) << Bytes(binary)
                                << QByteArray("\"value\":{\"base64\":\"AAH//oA=\"}");
    }

    void roundTrip()
    {
        QFETCH(Bytes, key);
        QFETCH(Bytes, value);
        QFETCH(QByteArray, expected);
        const std::vector<MessageHeader> headers = {{"n", "1", false},
                                                    {"nul", {}, true},
                                                    {"empty", "", false},
                                                    {"bin", QByteArray("\xff\x00", 2), false}};
        const MessageBatch b = oneMessage(key, value, headers);
        const QByteArray line = toJsonLine(b, 0);
        QVERIFY2(line.contains(expected), line.constData());
        QVERIFY(!line.contains('\n'));
        QVERIFY(line.startsWith("{\"partition\":2,\"offset\":12,\"timestamp\":1760000000000,"
                                "\"timestampType\":\"create\","));
        ParsedMessage m;
        QString error;
        QVERIFY2(parseJsonLine(line, &m, &error), qPrintable(error));
        QCOMPARE(m.partition, 2);
        QCOMPARE(m.offset, qint64(12));
        QCOMPARE(m.timestamp, qint64(1760000000000));
        QCOMPARE(m.key.has_value(), key.has_value());
        QCOMPARE(m.value.has_value(), value.has_value());
        if (key)
            QCOMPARE(*m.key, *key);
        if (value)
            QCOMPARE(*m.value, *value);
        QCOMPARE(m.headers.size(), headers.size());
        for (std::size_t h = 0; h < headers.size(); ++h) {
            QCOMPARE(m.headers[h].name, headers[h].name);
            QCOMPARE(m.headers[h].isNull, headers[h].isNull);
            QCOMPARE(m.headers[h].value, headers[h].value);
        }
    }

    void noTimestamp()
    {
        const QByteArray line = toJsonLine(oneMessage(Bytes("k"), Bytes("v"), {}, -1, 0), 0);
        QVERIFY2(line.contains("\"timestamp\":null,\"timestampType\":null"), line.constData());
        QVERIFY(line.endsWith("\"headers\":[]}"));
        ParsedMessage m;
        QString error;
        QVERIFY(parseJsonLine(line, &m, &error));
        QCOMPARE(m.timestamp, qint64(-1));
    }

    void leftOutFieldsAreNull()
    {
        ParsedMessage m;
        QString error;
        QVERIFY2(parseJsonLine("{\"value\":\"v\"}", &m, &error), qPrintable(error));
        QVERIFY(!m.key);
        QCOMPARE(*m.value, QByteArray("v"));
        QCOMPARE(m.partition, -1);
        QVERIFY(m.headers.empty());
    }

    void malformed_data()
    {
        QTest::addColumn<QByteArray>("line");
        QTest::addColumn<QString>("reason");
        QTest::newRow("not json") << QByteArray("{\"value\":") << u"not valid JSON"_qs;
        QTest::newRow("array") << QByteArray("[1]") << u"not a JSON object"_qs;
        QTest::newRow("value a number")
            << QByteArray("{\"value\":5}")
            << QString::fromUtf8("\"value\" must be a string, an object with \"base64\", or null");
        QTest::newRow("key an array")
            << QByteArray("{\"key\":[]}")
            << QString::fromUtf8("\"key\" must be a string, an object with \"base64\", or null");
        QTest::newRow("bad base64") << QByteArray("{\"value\":{\"base64\":\"%%%\"}}")
                                    << QString::fromUtf8("\"value\" has invalid base64");
        QTest::newRow("base64 and more") << QByteArray("{\"value\":{\"base64\":\"\", \"x\":1}}")
                                         << QString::fromUtf8("\"value\" must be a string");
        QTest::newRow("fractional partition")
            << QByteArray("{\"partition\":1.5}")
            << QString::fromUtf8("\"partition\" must be a whole number");
        QTest::newRow("timestamp text")
            << QByteArray("{\"timestamp\":\"now\"}")
            << QString::fromUtf8("\"timestamp\" must be a whole number");
        QTest::newRow("timestamp type") << QByteArray("{\"timestampType\":\"x\"}")
                                        << QString::fromUtf8("\"timestampType\" must be");
        QTest::newRow("headers object")
            << QByteArray("{\"headers\":{}}")
            << QString::fromUtf8("\"headers\" must be an array or null");
        QTest::newRow("header without name")
            << QByteArray("{\"headers\":[{\"value\":\"v\"}]}")
            << QString::fromUtf8("header 1 must be an object with \"name\" and \"value\"");
        QTest::newRow("header null name")
            << QByteArray("{\"headers\":[{\"name\":\"a\"},{\"name\":null,\"value\":\"v\"}]}")
            << QString::fromUtf8(
                   "header 2: \"name\" must be a string or an object with \"base64\"");
        QTest::newRow("header bad value")
            << QByteArray("{\"headers\":[{\"name\":\"a\",\"value\":true}]}")
            << QString::fromUtf8(
                   "header 1: \"value\" must be a string, an object with \"base64\", or null");
        QTest::newRow("typo") << QByteArray("{\"vaule\":\"v\"}")
                              << QString::fromUtf8("unknown field \"vaule\"");
    }

    void malformed()
    {
        QFETCH(QByteArray, line);
        QFETCH(QString, reason);
        ParsedMessage m;
        QString error;
        QVERIFY(!parseJsonLine(line, &m, &error));
        QVERIFY2(error.contains(reason), qPrintable(error));
    }

    void csv()
    {
        QCOMPARE(csvHeader(), QByteArray("partition,offset,timestamp,key,value,headers"));
        QCOMPARE(toCsvLine(oneMessage(Bytes("k"), Bytes("v")), 0),
                 QByteArray("2,12,1760000000000,k,v,[]"));
        QCOMPARE(toCsvLine(oneMessage(Bytes(), Bytes(""), {}, -1, 0), 0),
                 QByteArray("2,12,,,\"\",[]"));
        QCOMPARE(toCsvLine(oneMessage(Bytes("a,b"), Bytes("say \"hi\"\nbye")), 0),
                 QByteArray("2,12,1760000000000,\"a,b\",\"say \"\"hi\"\"\nbye\",[]"));
        QCOMPARE(toCsvLine(oneMessage(Bytes("\xff"), Bytes("x\ry"), {{"n", "1", false}}), 0),
                 QByteArray("2,12,1760000000000,base64:/w==,\"x\ry\","
                            "\"[{\"\"name\"\":\"\"n\"\",\"\"value\"\":\"\"1\"\"}]\""));
    }

    void fileIsAllOrNothing()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(u"m.jsonl"_qs);
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"key\":\"a\",\"value\":\"1\",\"timestamp\":5}\r\n\n  \n"
                "{\"key\":null,\"value\":{\"base64\":\"/w==\"},"
                "\"headers\":[{\"name\":\"h\",\"value\":null}]}");
        f.close();
        auto good = readJsonLines(path);
        QVERIFY2(good.ok(), qPrintable(good.error.message));
        QCOMPARE(good.value.size(), 2);
        QCOMPARE(*good.value[0].key, QByteArray("a"));
        QCOMPARE(good.value[0].timestamp, qint64(5));
        QVERIFY(!good.value[1].key);
        QCOMPARE(*good.value[1].value, QByteArray("\xff"));
        QVERIFY(good.value[1].headers.at(0).isNull);

        auto bad = parseJsonLines("{\"value\":\"1\"}\n{\"value\":\"2\"}\n{\"value\":2}\n"
                                  "{\"value\":\"4\"}\n");
        QVERIFY(!bad.ok());
        QVERIFY(bad.value.isEmpty());
        QVERIFY2(bad.error.message.startsWith(u"line 3: \"value\" must be"_qs),
                 qPrintable(bad.error.message));

        auto missing = readJsonLines(dir.filePath(u"none.jsonl"_qs));
        QVERIFY(!missing.ok());
        QVERIFY(missing.error.message.contains(u"none.jsonl"_qs));
    }

    void numbered()
    {
        OutgoingMessage m;
        m.key = QByteArray("key-{{i}}");
        m.value = QByteArray("{\"n\":{{i}},\"again\":{{i}}}");
        const auto list = Producer::makeNumbered(m, 12);
        QCOMPARE(list.size(), 12);
        QCOMPARE(*list[11].key, QByteArray("key-11"));
        QCOMPARE(*list[3].value, QByteArray("{\"n\":3,\"again\":3}"));
        m.key.reset();
        QVERIFY(!Producer::makeNumbered(m, 1)[0].key);
    }
};

QTEST_GUILESS_MAIN(TestMessageJson)
#include "tst_core_messagejson.moc"
