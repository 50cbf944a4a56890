// Exporting what the browser holds: JSON Lines that parse back to the same bytes, CSV with
// its header, a chosen subset, and an unwritable path reported instead of a crash.
#include "browser/messageexport.h"
#include "browser/messagemodel.h"
#include "client/messagejson.h"

#include <QFile>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace periscope;

class TestExport : public QObject
{
    Q_OBJECT

    models::MessageModel m_model;
    QTemporaryDir m_dir;

    std::pair<bool, QString> run(std::vector<int> rows, const QString &path,
                                 models::ExportFormat format)
    {
        bool finished = false;
        std::pair<bool, QString> result;
        models::exportMessages(m_model.snapshot(), std::move(rows), path, format)
            .then(this, [&](const models::ExportOutcome &outcome) {
                result = {outcome.ok, outcome.message};
                finished = true;
            });
        if (!QTest::qWaitFor([&] { return finished; }, 10000))
            return {false, QStringLiteral("the export never finished")};
        return result;
    }

    static QList<QByteArray> lines(const QString &path)
    {
        QFile f(path);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QList<QByteArray> out = f.readAll().split('\n');
        if (!out.isEmpty() && out.last().isEmpty())
            out.removeLast();
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        client::MessageBatch batch;
        const std::vector<client::MessageHeader> headers = {{"trace", "abc", false},
                                                            {"gone", {}, true}};
        batch.append(0, 10, 1760000000000, 1, "k1", 2, "{\"a\":1}", 7, headers);
        batch.append(1, 11, 1760000000001, 2, nullptr, 0, "\x00\xff", 2);
        batch.append(2, 12, -1, 0, "", 0, nullptr, 0);
        m_model.appendBatch(batch);
    }

    void jsonLinesParseBackExactly()
    {
        const QString path = m_dir.filePath(QStringLiteral("all.jsonl"));
        const auto [ok, message] = run({}, path, models::ExportFormat::JsonLines);
        QVERIFY2(ok, qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("3 messages")));
        const auto got = lines(path);
        QCOMPARE(got.size(), 3);
        for (int i = 0; i < 3; ++i) {
            client::ParsedMessage parsed;
            QString error;
            QVERIFY2(client::parseJsonLine(got[i], &parsed, &error), qPrintable(error));
            const QByteArray key = m_model.keyAt(i);
            const QByteArray value = m_model.valueAt(i);
            QCOMPARE(parsed.key.has_value(), !key.isNull());
            if (parsed.key)
                QCOMPARE(*parsed.key, key);
            QCOMPARE(parsed.value.has_value(), !value.isNull());
            if (parsed.value)
                QCOMPARE(*parsed.value, value);
            QCOMPARE(parsed.headers.size(), std::size_t(i == 0 ? 2 : 0));
        }
    }

    void csvWithHeaderAndASubset()
    {
        const QString path = m_dir.filePath(QStringLiteral("some.csv"));
        const auto [ok, message] = run({2}, path, models::ExportFormat::Csv);
        QVERIFY2(ok, qPrintable(message));
        const auto got = lines(path);
        QCOMPARE(got.size(), 2);
        QCOMPARE(got[0], client::csvHeader());
        QVERIFY(got[1].startsWith("2,12,"));
    }

    void cancelledExportLeavesNoFile()
    {
        models::MessageModel big;
        client::MessageBatch batch;
        const QByteArray value(200, 'v');
        for (int i = 0; i < 20000; ++i)
            batch.append(0, i, -1, 0, "k", 1, value.constData(), value.size());
        big.appendBatch(batch);
        const QString path = m_dir.filePath(QStringLiteral("cancelled.jsonl"));
        auto job =
            models::exportMessages(big.snapshot(), {}, path, models::ExportFormat::JsonLines);
        job.cancel();
        job.wait();
        QVERIFY(!job.result().ok);
        QVERIFY(!QFile::exists(path));
    }

    void unwritablePathIsReported()
    {
        const auto [ok, message] =
            run({}, QStringLiteral("/proc/no-such-dir/x.jsonl"), models::ExportFormat::JsonLines);
        QVERIFY(!ok);
        QVERIFY2(message.startsWith(QStringLiteral("cannot write")), qPrintable(message));
    }
};

QTEST_GUILESS_MAIN(TestExport)
#include "tst_models_export.moc"
