// What the partition log promises when the disk fails or fills up, and when it syncs:
// appends are all or nothing, syncs follow flush.messages and flush.ms, a failed sync is an
// error that sticks.
#include "base/clock.h"
#include "brokerbatches.h"
#include "storage/fileio.h"
#include "storage/logstore.h"

#include <QTemporaryDir>
#include <QTest>
#include <cerrno>

using namespace periscope::broker;
using namespace periscope::broker::testdata;

namespace {
std::int64_t g_monotonic = 0;
std::int64_t fakeMonotonic()
{
    return g_monotonic;
}

std::uintmax_t sizeOf(const std::filesystem::path &file)
{
    std::error_code ec;
    const auto size = std::filesystem::file_size(file, ec);
    return ec ? 0 : size;
}

// Base offsets of every batch, read segment by segment.
std::vector<std::int64_t> allBaseOffsets(PartitionLog &log)
{
    std::vector<std::int64_t> all;
    std::int64_t offset = log.logStartOffset();
    while (offset < log.highWatermark()) {
        std::vector<std::uint8_t> out;
        if (log.read(offset, 1 << 24, out) != Error::None || out.empty())
            break;
        for (std::int64_t base : baseOffsetsIn(out))
            all.push_back(base);
        std::size_t at = 0;
        while (auto b = peekBatch(out.data() + at, out.size() - at)) {
            offset = b->lastOffset() + 1;
            at += static_cast<std::size_t>(b->totalSize);
        }
    }
    return all;
}
} // namespace

class TestBrokerDurability : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init()
    {
        faults::reset();
        g_monotonic = 1000000;
        clock::overrideForTesting(nullptr, fakeMonotonic);
    }
    void cleanup()
    {
        faults::reset();
        clock::overrideForTesting(nullptr, nullptr);
    }

    void failedWriteLeavesNothingBehind_data()
    {
        QTest::addColumn<int>("error");
        QTest::addColumn<int>("partialBytes"); // of the batch that reached the file
        QTest::newRow("disk full, nothing written") << ENOSPC << 0;
        QTest::newRow("disk full after 40 bytes") << ENOSPC << 40;
        QTest::newRow("I/O error after 100 bytes") << EIO << 100;
    }

    void failedWriteLeavesNothingBehind()
    {
        QFETCH(int, error);
        QFETCH(int, partialBytes);
        QTemporaryDir dir;
        const std::filesystem::path path = dir.path().toStdString();
        PartitionLog log(path);
        log.load(false);
        QCOMPARE(append(log, idempotent(batchOf(5, 1000), 42, 0)).baseOffset, std::int64_t(0));
        const auto file = path / segmentFileName(0, ".log");
        const auto goodSize = sizeOf(file);

        faults::failWrite(1, error, static_cast<std::size_t>(partialBytes));
        const std::string second = idempotent(batchOf(3, 1001), 42, 5);
        const auto failed = append(log, second);
        QCOMPARE(failed.error, Error::KafkaStorageError);
        QCOMPARE(failed.baseOffset, std::int64_t(-1));
        QCOMPARE(log.highWatermark(), std::int64_t(5));
        QCOMPARE(sizeOf(file), goodSize); // the partial bytes were cut
        QVERIFY(!log.failed());           // a full disk is not a broken one

        // The producer retries the same batch: appended for real, at the next offset.
        const auto retried = append(log, second);
        QCOMPARE(retried.error, Error::None);
        QCOMPARE(retried.baseOffset, std::int64_t(5));
        QCOMPARE(log.highWatermark(), std::int64_t(8));
        // Retried once more, it is a duplicate now, answered with its real offset.
        QCOMPARE(append(log, second).baseOffset, std::int64_t(5));
        QCOMPARE(log.highWatermark(), std::int64_t(8));
        QCOMPARE(allBaseOffsets(log), (std::vector<std::int64_t>{0, 5}));

        PartitionLog reopened(path);
        reopened.load(true);
        QCOMPARE(reopened.truncatedBytes(), std::uint64_t(0));
        QCOMPARE(reopened.highWatermark(), std::int64_t(8));
        QCOMPARE(allBaseOffsets(reopened), (std::vector<std::int64_t>{0, 5}));
    }

    void failedIndexWriteUndoesTheData()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.path().toStdString();
        LogConfig config;
        config.indexIntervalBytes = 100; // every batch after the first writes an index entry
        PartitionLog log(path);
        log.load(false);
        QCOMPARE(append(log, batchOf(2, 1000), config).error, Error::None);
        QCOMPARE(append(log, batchOf(2, 1001), config).error, Error::None);
        const auto logSize = sizeOf(path / segmentFileName(0, ".log"));
        const auto indexSize = sizeOf(path / segmentFileName(0, ".index"));
        QVERIFY(indexSize > 0);

        faults::failWrite(2, EIO, 3); // the log write goes through, the index write breaks
        QCOMPARE(append(log, batchOf(2, 1002), config).error, Error::KafkaStorageError);
        QCOMPARE(log.highWatermark(), std::int64_t(4));
        QCOMPARE(sizeOf(path / segmentFileName(0, ".log")), logSize);
        QCOMPARE(sizeOf(path / segmentFileName(0, ".index")), indexSize);
        QCOMPARE(append(log, batchOf(2, 1003), config).baseOffset, std::int64_t(4));

        PartitionLog reopened(path);
        reopened.load(true);
        QCOMPARE(reopened.highWatermark(), std::int64_t(6));
        for (std::int64_t offset = 0; offset < 6; ++offset) {
            std::vector<std::uint8_t> out;
            QCOMPARE(reopened.read(offset, 1, out), Error::None);
            QCOMPARE(baseOffsetsIn(out).front(), offset - offset % 2);
        }
    }

    void failureAfterARollUndoesBothSegments()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.path().toStdString();
        LogConfig config;
        config.segmentBytes = 300;
        PartitionLog log(path);
        log.load(false);
        QCOMPARE(append(log, batchOf(1, 1000), config).error, Error::None);
        const auto firstSize = sizeOf(path / segmentFileName(0, ".log"));

        // Three batches in one request: two fill the first segment, the third rolls to a
        // new one, where its write fails.
        std::string three = batchOf(1, 1001) + batchOf(1, 1002) + batchOf(1, 1003);
        std::vector<BatchInfo> batches;
        QCOMPARE(splitBatches(three, batches), BatchProblem::None);
        QVERIFY(firstSize + batches[0].totalSize + batches[1].totalSize <= 300);
        QVERIFY(firstSize + batches[0].totalSize + batches[1].totalSize + batches[2].totalSize >
                300);
        faults::failWrite(
            3, ENOSPC); // the log write, the time index seal at the roll, the new segment
        const auto r =
            log.append(reinterpret_cast<std::uint8_t *>(three.data()), batches, config, 1000);
        QCOMPARE(r.error, Error::KafkaStorageError);
        QCOMPARE(log.highWatermark(), std::int64_t(1));
        QCOMPARE(sizeOf(path / segmentFileName(0, ".log")), firstSize);
        QVERIFY(!std::filesystem::exists(path / segmentFileName(3, ".log")));

        batches.clear();
        splitBatches(three, batches);
        QCOMPARE(log.append(reinterpret_cast<std::uint8_t *>(three.data()), batches, config, 1000)
                     .baseOffset,
                 std::int64_t(1));
        QCOMPARE(allBaseOffsets(log), (std::vector<std::int64_t>{0, 1, 2, 3}));
    }

    void flushMessagesSyncsBeforeTheAppendReturns_data()
    {
        QTest::addColumn<std::int64_t>("flushMessages");
        QTest::addColumn<int>("appendsPerSync");
        QTest::newRow("flush.messages=1") << std::int64_t(1) << 1;
        QTest::newRow("flush.messages=4 (two records per append)") << std::int64_t(4) << 2;
    }

    void flushMessagesSyncsBeforeTheAppendReturns()
    {
        QFETCH(std::int64_t, flushMessages);
        QFETCH(int, appendsPerSync);
        QTemporaryDir dir;
        LogConfig config;
        config.flushMessages = flushMessages;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        for (int i = 1; i <= 6; ++i) {
            const auto before = syncCount();
            QCOMPARE(append(log, batchOf(2, 1000 + i), config).error, Error::None);
            const bool due = i % appendsPerSync == 0;
            QCOMPARE(syncCount() > before, due);
            QCOMPARE(log.unflushed(), !due);
        }
    }

    void defaultsLeaveSyncingToTheSystem()
    {
        QTemporaryDir dir;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        const auto before = syncCount();
        for (int i = 0; i < 20; ++i)
            QCOMPARE(append(log, batchOf(2, 1000 + i)).error, Error::None);
        QCOMPARE(syncCount(), before);
        QVERIFY(log.unflushed());
        QVERIFY(log.flush()); // a clean stop syncs
        QVERIFY(syncCount() > before);
        QVERIFY(!log.unflushed());
    }

    void aRollSyncsTheSegmentItCloses()
    {
        QTemporaryDir dir;
        LogConfig config;
        config.segmentBytes = 300;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        QCOMPARE(append(log, batchOf(1, 1000), config).error, Error::None);
        QCOMPARE(append(log, batchOf(1, 1001), config).error, Error::None);
        const auto before = syncCount();
        QCOMPARE(append(log, batchOf(1, 1002), config).error, Error::None);
        QCOMPARE(append(log, batchOf(1, 1003), config).error, Error::None); // rolls
        QVERIFY(syncCount() > before);
        QVERIFY(std::filesystem::exists(std::filesystem::path(dir.path().toStdString()) /
                                        segmentFileName(3, ".log")));
    }

    void flushMsSyncsOnceDataIsOldEnough()
    {
        QTemporaryDir dir;
        LogConfig config;
        config.flushMs = 500;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        QVERIFY(append(log, batchOf(1, 1000), config).error == Error::None);
        g_monotonic += 100;
        const auto before = syncCount();
        QVERIFY(log.flushIfDue(config, g_monotonic));
        QCOMPARE(syncCount(), before); // 100 ms since the last sync: not yet
        g_monotonic += 400;
        QVERIFY(log.flushIfDue(config, g_monotonic));
        QVERIFY(syncCount() > before);
        QVERIFY(!log.unflushed());
        const auto after = syncCount();
        g_monotonic += 10000;
        QVERIFY(log.flushIfDue(config, g_monotonic));
        QCOMPARE(syncCount(), after); // nothing new: no sync
    }

    void logStoreAppliesFlushMsOfEachTopic()
    {
        QTemporaryDir dir;
        LogConfig defaults;
        defaults.flushMs = 2000; // --log-flush-interval-ms
        LogStore store(dir.path().toStdString(), defaults);
        store.load(true);
        QCOMPARE(store.createTopic("slow", 1, 1, {}, false).error, Error::None);
        QCOMPARE(store.createTopic("fast", 1, 1, {{"flush.ms", "100"}}, false).error, Error::None);
        QCOMPARE(
            store.createTopic("never", 1, 1, {{"flush.ms", "9223372036854775807"}}, false).error,
            Error::None);
        for (const char *name : {"slow", "fast", "never"}) {
            Topic *t = store.find(name);
            QCOMPARE(append(*t->partitions[0], batchOf(1, 1000), t->logConfig).error, Error::None);
        }
        g_monotonic += 150;
        store.flushDue(g_monotonic);
        QVERIFY(store.find("slow")->partitions[0]->unflushed());
        QVERIFY(!store.find("fast")->partitions[0]->unflushed());
        g_monotonic += 2000;
        store.flushDue(g_monotonic);
        QVERIFY(!store.find("slow")->partitions[0]->unflushed());
        QVERIFY(store.find("never")->partitions[0]->unflushed());
    }

    void failedSyncFailsTheAppendAndTheLog()
    {
        QTemporaryDir dir;
        const std::filesystem::path path = dir.path().toStdString();
        LogConfig config;
        config.flushMessages = 1;
        PartitionLog log(path);
        log.load(false);
        QCOMPARE(append(log, batchOf(2, 1000), config).error, Error::None);
        const auto size = sizeOf(path / segmentFileName(0, ".log"));

        faults::failSync(1, EIO);
        const auto r = append(log, batchOf(2, 1001), config);
        QCOMPARE(r.error, Error::KafkaStorageError);
        QCOMPARE(log.highWatermark(), std::int64_t(2));
        QCOMPARE(sizeOf(path / segmentFileName(0, ".log")), size);
        QVERIFY(log.failed());
        // Nothing pretends to be durable after that: no more appends, no clean flush.
        QCOMPARE(append(log, batchOf(2, 1002), config).error, Error::KafkaStorageError);
        QCOMPARE(log.highWatermark(), std::int64_t(2));
        QVERIFY(!log.flush());
    }

    void failedTimedSyncMarksTheLog()
    {
        QTemporaryDir dir;
        LogConfig config;
        config.flushMs = 10;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        QCOMPARE(append(log, batchOf(2, 1000), config).error, Error::None);
        faults::failSync(1, EIO);
        g_monotonic += 20;
        QVERIFY(!log.flushIfDue(config, g_monotonic));
        QVERIFY(log.failed());
        QCOMPARE(append(log, batchOf(2, 1001), config).error, Error::KafkaStorageError);
    }

    void atomicFileWriteSyncsItsDirectory()
    {
        QTemporaryDir dir;
        const auto file = std::filesystem::path(dir.path().toStdString()) / "meta.properties";
        const auto before = syncCount();
        writeFileAtomically(file, "a=1\n");
        QCOMPARE(syncCount(), before + 2); // the file, then the directory after the rename
        QCOMPARE(readSmallFile(file), std::string("a=1\n"));
        faults::failSync(2, EIO); // the directory sync
        QVERIFY_THROWS_EXCEPTION(SyncError, writeFileAtomically(file, "a=2\n"));
    }

    void sequencesWrapPastInt32Max()
    {
        QTemporaryDir dir;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        // Sequences INT32_MAX-2 .. INT32_MAX, then 0 and 1: the next batch starts at 2.
        QCOMPARE(append(log, idempotent(batchOf(5, 1000), 9, INT32_MAX - 2)).error, Error::None);
        const auto next = append(log, idempotent(batchOf(1, 1000), 9, 2));
        QCOMPARE(next.error, Error::None);
        QCOMPARE(next.baseOffset, std::int64_t(5));
        QCOMPARE(append(log, idempotent(batchOf(1, 1000), 9, 2)).baseOffset, std::int64_t(5));
        QCOMPARE(append(log, idempotent(batchOf(1, 1000), 9, 4)).error,
                 Error::OutOfOrderSequenceNumber);
        QCOMPARE(append(log, idempotent(batchOf(1, 1000), 9, 3)).baseOffset, std::int64_t(6));
    }

    void compactedLogKeepsOldSegments()
    {
        QTemporaryDir dir;
        LogConfig config = LogConfig::from({{"cleanup.policy", "compact"}});
        config.segmentBytes = 1024;
        config.retentionMs = 10;
        PartitionLog log(dir.path().toStdString());
        log.load(false);
        for (int i = 0; i < 40; ++i)
            append(log, batchOf(1, 1000 + i), config);
        QCOMPARE(log.applyRetention(config, 100000000), 0); // compaction only: nothing expires
        QCOMPARE(log.logStartOffset(), std::int64_t(0));
        config = LogConfig::from({{"cleanup.policy", "compact,delete"}});
        config.retentionMs = 10;
        QVERIFY(log.applyRetention(config, 100000000) > 0);
    }
};

QTEST_GUILESS_MAIN(TestBrokerDurability)
#include "tst_broker_durability.moc"
