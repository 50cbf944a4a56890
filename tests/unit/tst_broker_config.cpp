// Topic config validation and the values that reach the log.
#include "storage/logstore.h"
#include "storage/topicconfig.h"

#include <QTest>

using namespace periscope::broker;

class TestBrokerConfig : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void validation_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("value");
        QTest::addColumn<bool>("ok");
        QTest::newRow("retention") << "retention.ms"
                                   << "1000" << true;
        QTest::newRow("retention forever") << "retention.ms"
                                           << "-1" << true;
        QTest::newRow("retention text") << "retention.ms"
                                        << "soon" << false;
        QTest::newRow("segment too small") << "segment.bytes"
                                           << "10" << false;
        QTest::newRow("int overflow") << "max.message.bytes"
                                      << "99999999999" << false;
        QTest::newRow("compact") << "cleanup.policy"
                                 << "compact" << true;
        QTest::newRow("both policies") << "cleanup.policy"
                                       << "compact, delete" << true;
        QTest::newRow("bad policy") << "cleanup.policy"
                                    << "shred" << false;
        QTest::newRow("enum") << "message.timestamp.type"
                              << "LogAppendTime" << true;
        QTest::newRow("bad enum") << "message.timestamp.type"
                                  << "Whenever" << false;
        QTest::newRow("bool") << "preallocate"
                              << "yes" << false;
        QTest::newRow("ratio") << "min.cleanable.dirty.ratio"
                               << "0.7" << true;
        QTest::newRow("unknown") << "retention.weeks"
                                 << "2" << false;
    }

    void validation()
    {
        QFETCH(QString, name);
        QFETCH(QString, value);
        QFETCH(bool, ok);
        const auto problem = validateTopicConfig(name.toStdString(), value.toStdString());
        QCOMPARE(!problem.has_value(), ok);
    }

    void logConfigTakesOverrides()
    {
        const LogConfig c = LogConfig::from({{"retention.ms", "5"},
                                             {"segment.bytes", "2048"},
                                             {"message.timestamp.type", "LogAppendTime"},
                                             {"cleanup.policy", "compact"}});
        QCOMPARE(c.retentionMs, std::int64_t(5));
        QCOMPARE(c.segmentBytes, std::int64_t(2048));
        QVERIFY(c.logAppendTime);
        QVERIFY(c.compact);
        QCOMPARE(c.maxMessageBytes, std::int64_t(1048588));
    }

    void topicNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<bool>("ok");
        QTest::newRow("plain") << "orders" << true;
        QTest::newRow("all allowed") << "a.B_c-9" << true;
        QTest::newRow("space") << "bad name" << false;
        QTest::newRow("slash") << "a/b" << false;
        QTest::newRow("dot") << "." << false;
        QTest::newRow("empty") << "" << false;
        QTest::newRow("249") << QString(249, QLatin1Char('x')) << true;
        QTest::newRow("250") << QString(250, QLatin1Char('x')) << false;
        QTest::newRow("unicode") << QStringLiteral("caf\u00e9") << false;
    }

    void topicNames()
    {
        QFETCH(QString, name);
        QFETCH(bool, ok);
        QCOMPARE(!LogStore::validateTopicName(name.toStdString()).has_value(), ok);
    }
};

QTEST_GUILESS_MAIN(TestBrokerConfig)
#include "tst_broker_config.moc"
