// The browser's field expressions on known messages: each operator, paths into JSON,
// headers, the message's own fields, and parse errors that say where.
#include "browser/jsonexpr.h"

#include <QTest>

using namespace periscope;

namespace {
client::MessageBatch sample()
{
    client::MessageBatch b;
    auto add = [&b](int partition, const char *key, const char *value,
                    std::vector<client::MessageHeader> headers = {}) {
        b.append(partition, b.size(), 1760000000000 + b.size(), 1, key,
                 key ? qint64(strlen(key)) : 0, value, value ? qint64(strlen(value)) : 0, headers);
    };
    add(0, "eu-1", "{\"order\":{\"total\":150,\"items\":[{\"sku\":\"A-1\"}]},\"region\":\"eu\"}",
        {{"source", "web", false}});
    add(1, "eu-1", "{\"order\":{\"total\":50}}");
    add(2, "us-1", "{\"order\":{\"total\":500},\"note\":\"rush delivery\"}",
        {{"source", "mobile", false}});
    add(0, nullptr, "plain text, not JSON");
    add(1, "eu-2", nullptr);
    add(2, "42", "42");
    return b;
}
} // namespace

class TestJsonExpr : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void matches_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("expected"); // indexes of the matching messages
        QTest::newRow("the issue's example") << "value.order.total > 100 && key == \"eu-1\""
                                             << "0";
        QTest::newRow("or") << "value.order.total >= 500 || key == \"eu-2\""
                            << "2,4";
        QTest::newRow("not") << "!(key == \"eu-1\")"
                             << "2,3,4,5";
        QTest::newRow("less or equal") << "value.order.total <= 50"
                                       << "1";
        QTest::newRow("not equal") << "value.region != \"eu\""
                                   << "1,2,3,4,5";
        QTest::newRow("array index") << "value.order.items[0].sku == \"A-1\""
                                     << "0";
        QTest::newRow("contains") << "value.note contains \"rush\""
                                  << "2";
        QTest::newRow("matches") << "key matches \"^eu-\\\\d$\""
                                 << "0,1,4";
        QTest::newRow("header") << "headers.source == \"mobile\""
                                << "2";
        QTest::newRow("partition and offset") << "partition == 0 && offset > 0"
                                              << "3";
        QTest::newRow("text value") << "value contains \"plain\""
                                    << "3";
        QTest::newRow("null value") << "value == null"
                                    << "4";
        QTest::newRow("null key") << "key == null"
                                  << "3";
        QTest::newRow("number key") << "key == 42 && value == 42"
                                    << "5";
        QTest::newRow("missing field is false") << "value.nothing.here > 1"
                                                << "";
        QTest::newRow("field present") << "value.note"
                                       << "2";
        QTest::newRow("partition set") << "partition == 0 || partition == 2"
                                       << "0,2,3,5";
        QTest::newRow("offset range") << "offset >= 1 && offset <= 3"
                                      << "1,2,3";
        QTest::newRow("time range") << "timestamp >= 1760000000002 && timestamp < 1760000000004"
                                    << "2,3";
        QTest::newRow("header present") << "headers.source"
                                        << "0,2";
    }

    void matches()
    {
        QFETCH(QString, expression);
        QFETCH(QString, expected);
        QString error;
        const auto expr = models::JsonExpr::parse(expression, &error);
        QVERIFY2(expr, qPrintable(error));
        const client::MessageBatch b = sample();
        QStringList got;
        for (qsizetype i = 0; i < b.size(); ++i)
            if (expr->matches(b, i))
                got << QString::number(i);
        QCOMPARE(got.join(QLatin1Char(',')), expected);
    }

    void errors_data()
    {
        QTest::addColumn<QString>("expression");
        QTest::addColumn<QString>("message");
        QTest::newRow("dangling operator") << "value.a >"
                                           << "expected a value at column 10";
        QTest::newRow("unknown root") << "price > 3"
                                      << "unknown field \"price\"";
        QTest::newRow("open string") << "key == \"eu"
                                     << "unterminated string";
        QTest::newRow("open parenthesis") << "(key == 1"
                                          << "expected \")\"";
        QTest::newRow("bad pattern") << "key matches \"(\""
                                     << "bad pattern";
        QTest::newRow("trailing words") << "key == 1 2"
                                        << "unexpected \"2\"";
    }

    void errors()
    {
        QFETCH(QString, expression);
        QFETCH(QString, message);
        QString error;
        QVERIFY(!models::JsonExpr::parse(expression, &error));
        QVERIFY2(error.contains(message), qPrintable(error));
    }
};

QTEST_GUILESS_MAIN(TestJsonExpr)
#include "tst_models_jsonexpr.moc"
