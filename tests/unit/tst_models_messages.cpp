// MessageModel, MessageFilter and MessageFilterProxy: batches, ring, budget, previews,
// sorting, filtering and a million rows.
#include "browser/messagefilter.h"
#include "browser/messagefilterproxy.h"
#include "browser/messagemodel.h"
#include "common/modelutil.h"

#include <QAbstractItemModelTester>
#include <QElapsedTimer>
#include <QFile>
#include <QFont>
#include <QLocale>
#include <QSignalSpy>
#include <QTest>

using namespace periscope;
using namespace periscope::models;
using Tester = QAbstractItemModelTester;
using namespace Qt::StringLiterals;

namespace {

constexpr qint64 BaseTime = 1'700'000'000'000;

client::MessageBatch makeBatch(qint32 partition, qint64 firstOffset, int count)
{
    client::MessageBatch batch;
    for (int i = 0; i < count; ++i) {
        const qint64 offset = firstOffset + i;
        const QByteArray key = "k" + QByteArray::number(offset);
        const QByteArray value = "value " + QByteArray::number(offset);
        batch.append(partition, offset, BaseTime + offset, 1, key.constData(), key.size(),
                     value.constData(), value.size());
    }
    return batch;
}

client::MessageBatch oneValue(const QByteArray &value, qint64 valueCap = -1)
{
    client::MessageBatch batch;
    batch.append(0, 0, BaseTime, 2, "k", 1, value.isNull() ? nullptr : value.constData(),
                 value.size(), {}, valueCap);
    return batch;
}

QVariant cell(const QAbstractItemModel &model, int row, int column, int role = Qt::DisplayRole)
{
    return model.index(row, column).data(role);
}

QList<qint64> offsets(const QAbstractItemModel &model)
{
    QList<qint64> out;
    for (int row = 0; row < model.rowCount(); ++row)
        out << cell(model, row, MessageModel::Offset, MessageModel::SortRole).toLongLong();
    return out;
}

QList<qint64> range(qint64 first, qint64 last)
{
    QList<qint64> out;
    for (qint64 i = first; i <= last; ++i)
        out << i;
    return out;
}

// Five messages that the filter cases below pick from.
void fillFilterData(MessageModel &model)
{
    using H = client::MessageHeader;
    client::MessageBatch b;
    b.append(0, 0, 1000, 1, "Alpha", 5, "Hello World", 11, {H{"trace", "abc", false}});
    b.append(0, 1, 2000, 1, "beta", 4, "hello there", 11);
    b.append(1, 2, 3000, 2, nullptr, 0, "{\"id\": 42}", 10, {H{"trace", {}, true}});
    b.append(1, 3, 4000, 1, "gamma", 5, nullptr, 0, {H{"type", "order", false}});
    b.append(2, 4, -1, 0, "", 0, "\xff\xfeHELLO", 7, {H{"type", "payment", false}});
    model.appendBatch(b);
}

qint64 residentBytes()
{
    QFile statm(u"/proc/self/statm"_s);
    if (!statm.open(QIODevice::ReadOnly))
        return -1;
    const QList<QByteArray> fields = statm.readAll().split(' ');
    return fields.size() > 1 ? fields[1].toLongLong() * 4096 : -1;
}

} // namespace

Q_DECLARE_METATYPE(periscope::models::MessageFilter)

class TestModelsMessages : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase() { QLocale::setDefault(QLocale(QLocale::English, QLocale::UnitedStates)); }

    void testerWhileAppendingRingAndSorting()
    {
        MessageModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        QSignalSpy inserted(&model, &QAbstractItemModel::rowsInserted);
        model.appendBatch(makeBatch(0, 0, 10));
        model.appendBatch(makeBatch(1, 10, 10));
        model.appendBatch(client::MessageBatch());
        QCOMPARE(inserted.count(), 2);
        QCOMPARE(model.rowCount(), 20);

        const QPersistentModelIndex tracked = model.index(3, MessageModel::Key);
        model.sort(MessageModel::Offset, Qt::DescendingOrder);
        QCOMPARE(offsets(model), [] {
            auto r = range(0, 19);
            std::reverse(r.begin(), r.end());
            return r;
        }());
        QCOMPARE(tracked.row(), 16);
        QCOMPARE(tracked.data().toString(), u"k3"_s);

        // Ring removals while sorted: the oldest rows are scattered over the view.
        model.sort(MessageModel::Partition, Qt::DescendingOrder);
        model.setRingCapacity(15);
        QCOMPARE(model.rowCount(), 15);
        model.appendBatch(makeBatch(0, 20, 7));
        QCOMPARE(model.rowCount(), 15);
        QList<qint64> seen = offsets(model);
        std::sort(seen.begin(), seen.end());
        QCOMPARE(seen, range(12, 26));

        model.sort(-1);
        QCOMPARE(offsets(model), range(12, 26));
        model.sort(MessageModel::Value);
        model.sort(MessageModel::Size, Qt::DescendingOrder);
        model.setUtc(true);
        model.clear();
        QCOMPARE(model.rowCount(), 0);
        model.appendBatch(makeBatch(0, 0, 3));
        QCOMPARE(model.rowCount(), 3);
    }

    void proxyFollowsSource()
    {
        MessageModel model;
        MessageFilterProxy proxy;
        proxy.setSourceModel(&model);
        Tester modelTester(&model, Tester::FailureReportingMode::Fatal);
        Tester proxyTester(&proxy, Tester::FailureReportingMode::Fatal);

        model.appendBatch(makeBatch(0, 0, 10));
        QCOMPARE(proxy.rowCount(), 10);
        proxy.setRows({7, 1, 3, 3, 42, -1, 5});
        QCOMPARE(offsets(proxy), (QList<qint64>{1, 3, 5, 7}));
        QCOMPARE(proxy.mapFromSource(model.index(5, 2)).row(), 2);
        QVERIFY(!proxy.mapFromSource(model.index(4, 2)).isValid());

        model.appendBatch(makeBatch(0, 10, 5)); // hidden until the next setRows
        QCOMPARE(proxy.rowCount(), 4);

        model.sort(MessageModel::Offset, Qt::DescendingOrder);
        QCOMPARE(offsets(proxy), (QList<qint64>{7, 5, 3, 1}));
        model.setRingCapacity(12); // drops offsets 0..2, scattered at the bottom of the view
        QCOMPARE(offsets(proxy), (QList<qint64>{7, 5, 3}));
        model.sort(-1);
        QCOMPARE(offsets(proxy), (QList<qint64>{3, 5, 7}));
        model.setUtc(true);

        proxy.clearFilter();
        QCOMPARE(proxy.rowCount(), 12);
        model.appendBatch(makeBatch(1, 0, 4));
        QCOMPARE(proxy.rowCount(), 12);
        proxy.setRows({0, 11});
        model.clear();
        QVERIFY(!proxy.isFiltered());
        QCOMPARE(proxy.rowCount(), 0);
    }

    void previews_data()
    {
        QTest::addColumn<QByteArray>("value");
        QTest::addColumn<QString>("display");
        QTest::addColumn<QString>("tip");
        QTest::newRow("utf8") << QByteArray("h\xc3\xa9llo\n\tw\xc3\xb6rld\x01")
                              << u"héllo  wörld␁"_s << u"15 bytes"_s;
        QTest::newRow("invalid utf8")
            << QByteArray("\xff\xfe abc") << u"0xfffe20616263"_s << u"6 bytes"_s;
        QTest::newRow("binary") << QByteArray::fromHex("1f8b0800000000000003")
                                << u"0x1f8b0800000000000003"_s << u"10 bytes"_s;
        QTest::newRow("empty") << QByteArray("") << QString() << u"empty"_s;
        QTest::newRow("null") << QByteArray() << u"null"_s << u"null"_s;
        const QByteArray longText(1000, 'x');
        QTest::newRow("long") << longText << QString(QString(200, u'x') + QChar(0x2026))
                              << u"1,000 bytes"_s;
        QTest::newRow("long binary")
            << QByteArray(500, '\0') << QString(u"0x"_s + QString(198, u'0') + QChar(0x2026))
            << u"500 bytes"_s;
    }

    void previews()
    {
        QFETCH(QByteArray, value);
        QFETCH(QString, display);
        QFETCH(QString, tip);
        MessageModel model;
        model.appendBatch(oneValue(value));
        QCOMPARE(cell(model, 0, MessageModel::Value).toString(), display);
        QCOMPARE(cell(model, 0, MessageModel::Value, Qt::ToolTipRole).toString(), tip);
        const bool isNull = value.isNull();
        QCOMPARE(cell(model, 0, MessageModel::Value, Qt::ForegroundRole).isValid(), isNull);
        QCOMPARE(cell(model, 0, MessageModel::Value, Qt::FontRole).value<QFont>().italic(), isNull);
        QCOMPARE(model.valueAt(0).isNull(), isNull);
        QCOMPARE(model.valueAt(0), value);
        QCOMPARE(cell(model, 0, MessageModel::Timestamp, Qt::ToolTipRole)
                     .toString()
                     .endsWith(u"(log append)"_s),
                 true);
    }

    void hugeValueIsTruncated()
    {
        const QByteArray value(50 * 1024 * 1024, 'a');
        MessageModel model;
        model.appendBatch(oneValue(value, 64 * 1024));
        QVERIFY(model.memoryBytes() < 70 * 1024);
        QVERIFY(model.recordAt(0).flags & 1);
        QCOMPARE(model.valueAt(0).size(), 64 * 1024);
        const QString preview = cell(model, 0, MessageModel::Value).toString();
        QCOMPARE(preview.size(), MessageModel::PreviewChars + 1);
        QVERIFY(preview.endsWith(QChar(0x2026)));
        QCOMPARE(cell(model, 0, MessageModel::Size, MessageModel::SortRole).toLongLong(),
                 value.size() + 1);
        QCOMPARE(cell(model, 0, MessageModel::Size).toString(), u"52,428,801 ✂"_s);
        QVERIFY(cell(model, 0, MessageModel::Value, Qt::ToolTipRole)
                    .toString()
                    .contains(u"52,428,800"_s));
    }

    void ringKeepsTheNewest()
    {
        MessageModel model;
        Tester tester(&model, Tester::FailureReportingMode::Fatal);
        model.setRingCapacity(100);
        for (int i = 0; i < 7; ++i)
            model.appendBatch(makeBatch(0, i * 30, 30));
        QCOMPARE(offsets(model), range(110, 209));
        const qint64 bytesBefore = model.memoryBytes();
        model.appendBatch(makeBatch(0, 210, 250)); // larger than the ring
        QCOMPARE(offsets(model), range(360, 459));
        QCOMPARE(model.memoryBytes(), makeBatch(0, 210, 250).bytes());
        QVERIFY(model.memoryBytes() > bytesBefore);
        model.setRingCapacity(10);
        QCOMPARE(offsets(model), range(450, 459));
        QCOMPARE(model.keyAt(0), QByteArray("k450"));
    }

    void budgetStopsAppends()
    {
        MessageModel model;
        const qint64 first = makeBatch(0, 0, 100).bytes();
        const qint64 second = makeBatch(0, 100, 100).bytes();
        model.setMemoryBudget(first + second + first / 2);
        QSignalSpy reached(&model, &MessageModel::budgetReached);
        QVERIFY(model.appendBatch(makeBatch(0, 0, 100)));
        QVERIFY(model.appendBatch(makeBatch(0, 100, 100)));
        QVERIFY(!model.isBudgetReached());
        QVERIFY(!model.appendBatch(makeBatch(0, 200, 100)));
        QVERIFY(!model.appendBatch(makeBatch(0, 300, 1)));
        QCOMPARE(reached.count(), 1);
        QVERIFY(model.isBudgetReached());
        QCOMPARE(model.rowCount(), 200);
        QCOMPARE(model.memoryBytes(), first + second);
        model.clear();
        QVERIFY(!model.isBudgetReached());
        QVERIFY(model.appendBatch(makeBatch(0, 0, 100)));
    }

    void filterModes_data()
    {
        using F = MessageFilter;
        QTest::addColumn<MessageFilter>("filter");
        QTest::addColumn<QVector<int>>("rows");
        const auto text = [](const QString &t, F::Mode mode,
                             F::Fields fields = F::KeyField | F::ValueField) {
            F f;
            f.setText(t, mode, fields);
            return f;
        };
        QTest::newRow("none") << F() << QVector<int>{0, 1, 2, 3, 4};
        QTest::newRow("case-insensitive")
            << text(u"hello"_s, F::Mode::Substring) << QVector<int>{0, 1, 4};
        QTest::newRow("case-sensitive")
            << text(u"hello"_s, F::Mode::SubstringCaseSensitive) << QVector<int>{1};
        QTest::newRow("key only") << text(u"A"_s, F::Mode::Substring, F::KeyField)
                                  << QVector<int>{0, 1, 3};
        QTest::newRow("headers") << text(u"PAY"_s, F::Mode::Substring, F::HeadersField)
                                 << QVector<int>{4};
        QTest::newRow("regex") << text(u"^h.llo"_s, F::Mode::Regex) << QVector<int>{1};
        QTest::newRow("regex digits") << text(u"\\d+"_s, F::Mode::Regex) << QVector<int>{2};
        QTest::newRow("invalid regex") << text(u"("_s, F::Mode::Regex) << QVector<int>{};
        F f;
        f.keyEquals = QByteArray("beta");
        QTest::newRow("key equals") << f << QVector<int>{1};
        f.keyEquals = QByteArray("");
        QTest::newRow("key equals empty") << f << QVector<int>{4};
        f = F();
        f.headerName = "trace";
        QTest::newRow("header present") << f << QVector<int>{0, 2};
        f.headerValue = QByteArray("abc");
        QTest::newRow("header equals") << f << QVector<int>{0};
        f.headerValue = QByteArray("");
        QTest::newRow("header equals empty") << f << QVector<int>{};
        f = F();
        f.partitions = {1, 2};
        QTest::newRow("partitions") << f << QVector<int>{2, 3, 4};
        f = F();
        f.minOffset = 1;
        f.maxOffset = 3;
        QTest::newRow("offsets") << f << QVector<int>{1, 2, 3};
        f = F();
        f.fromTime = 1500;
        f.toTime = 3500;
        QTest::newRow("time") << f << QVector<int>{1, 2};
        f.setText(u"THERE"_s, F::Mode::Substring);
        QTest::newRow("time and text") << f << QVector<int>{1};
    }

    void filterModes()
    {
        QFETCH(MessageFilter, filter);
        QFETCH(QVector<int>, rows);
        MessageModel model;
        fillFilterData(model);
        QCOMPARE(filterRows(model, filter), rows);
        // Sorted, the same messages come back as rows of the sorted view.
        model.sort(MessageModel::Offset, Qt::DescendingOrder);
        QVector<int> sortedRows;
        for (auto it = rows.crbegin(); it != rows.crend(); ++it)
            sortedRows << 4 - *it;
        QCOMPARE(filterRows(model, filter), sortedRows);
    }

    void cancelStopsEarly()
    {
        MessageModel model;
        for (int i = 0; i < 50; ++i)
            model.appendBatch(makeBatch(0, i * 1000, 1000));
        std::atomic<bool> cancel = false;
        int calls = 0;
        int lastDone = -1;
        const QVector<int> rows =
            filterRows(model, MessageFilter(), &cancel, [&](int done, int total) {
                ++calls;
                lastDone = done;
                QCOMPARE(total, 50'000);
                cancel = true;
            });
        QCOMPARE(calls, 1);
        QVERIFY(lastDone < 50'000);
        QVERIFY(rows.size() < 50'000);
    }

    void snapshotOutlivesChanges()
    {
        MessageModel model;
        model.appendBatch(makeBatch(0, 0, 100));
        const std::shared_ptr<const MessageRows> snapshot = model.snapshot();
        const quint64 generation = model.rows().generation();
        model.appendBatch(makeBatch(0, 100, 100));
        QCOMPARE(model.rows().generation(), generation); // appends keep row numbers
        MessageFilter f;
        f.setText(u"value 9"_s);
        QCOMPARE(filterRows(*snapshot, f).size(), 11);
        model.setRingCapacity(50);
        QVERIFY(model.rows().generation() != generation);
        QCOMPARE(filterRows(*snapshot, f).size(), 11);
        QCOMPARE(snapshot->at(0).record().offset, 0);
    }

    void millionMessages()
    {
        const qint64 rssBefore = residentBytes();
        MessageModel model;
        const QByteArray key("key-000000");
        const QByteArray value(90, 'v'); // 100 bytes per message with the key
        for (int b = 0; b < 1000; ++b) {
            client::MessageBatch batch;
            for (int i = 0; i < 1000; ++i)
                batch.append(b % 12, qint64(b) * 1000 + i, BaseTime + i, 1, key.constData(),
                             key.size(), value.constData(), value.size());
            QVERIFY(model.appendBatch(std::move(batch)));
        }
        QCOMPARE(model.rowCount(), 1'000'000);
        const qint64 rss = residentBytes() - rssBefore;
        qInfo("1M x 100-byte messages: memoryBytes %lld (%.1f bytes/message), RSS growth %lld "
              "(%.1f bytes/message), sizeof(MessageRecord) %zu",
              model.memoryBytes(), double(model.memoryBytes()) / 1e6, rss, double(rss) / 1e6,
              sizeof(client::MessageRecord));
        QCOMPARE(cell(model, 999'999, MessageModel::Offset).toString(), u"999999"_s);

        QElapsedTimer timer;
        timer.start();
        for (int row = 0; row < 100'000; ++row)
            cell(model, row * 10, MessageModel::Value);
        qInfo("value preview: %.2f us per cell", double(timer.nsecsElapsed()) / 100'000 / 1000);
        MessageFilter f;
        f.setText(u"KEY-0"_s);
        timer.restart();
        QCOMPARE(filterRows(model, f).size(), 1'000'000);
        qInfo("filterRows over 1M: %lld ms", timer.elapsed());
        timer.restart();
        model.sort(MessageModel::Partition);
        qInfo("sort by partition over 1M: %lld ms", timer.elapsed());
        QCOMPARE(cell(model, 0, MessageModel::Partition).toString(), u"0"_s);
    }
};

QTEST_MAIN(TestModelsMessages)
#include "tst_models_messages.moc"
