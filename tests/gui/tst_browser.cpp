// The message browser pane against a real broker, driven through its own widgets: load a
// topic of mixed messages from the oldest, filter it, look at single messages in the detail
// panel, follow new messages live and cancel.
#include "browser/browsersettings.h"
#include "browser/messagebrowserpane.h"
#include "browser/messagefilterproxy.h"
#include "browser/messagemodel.h"
#include "client/clustersession.h"
#include "guitest.h"
#include "jobs/localpool.h"
#include "kafka.h"
#include "testbroker.h"

#include <QAbstractItemModelTester>
#include <QCheckBox>
#include <QComboBox>
#include <QDeadlineTimer>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QTableView>
#include <QTest>
#include <QThread>
#include <QTreeWidget>

using namespace periscope;

namespace {

using test::child;
using test::retype;

constexpr int kCount = 300;
constexpr int kPartitions = 3;
const char *const kTopic = "mixed";

// Message i, by i % 5: JSON, text, binary (leading NUL), empty, text with the filter's
// needle. Every 10th has a null key; every 3rd carries headers.
std::string valueOf(int i)
{
    const std::string n = std::to_string(i);
    switch (i % 5) {
    case 0:
        return "{\"n\":" + n + ",\"kind\":\"json\"}";
    case 1:
        return "plain text " + n;
    case 2:
        return std::string("\0\x01\x02\xff", 4) + n;
    case 3:
        return {};
    default:
        return "some findme-" + n + " text";
    }
}
constexpr int kNeedleMatches = kCount / 5;

bool produce(const std::string &bootstrap, int from, int to)
{
    auto producer = test::makeProducer(bootstrap, {{"linger.ms", "5"}});
    if (!producer)
        return false;
    for (int i = from; i < to; ++i) {
        std::string key = "k";
        key += std::to_string(i);
        const std::string value = valueOf(i);
        const bool nullKey = i % 10 == 0;
        rd_kafka_headers_t *h = nullptr;
        if (i % 3 == 0) {
            h = rd_kafka_headers_new(2);
            rd_kafka_header_add(h, "source", -1, "gui-test", -1);
            rd_kafka_header_add(h, "empty", -1, nullptr, 0);
        }
        const rd_kafka_resp_err_t err = rd_kafka_producev(
            producer.get(), RD_KAFKA_V_TOPIC(kTopic), RD_KAFKA_V_PARTITION(i % kPartitions),
            RD_KAFKA_V_KEY(nullKey ? nullptr : key.data(), nullKey ? 0 : key.size()),
            RD_KAFKA_V_VALUE(const_cast<char *>(value.data()), value.size()),
            RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_HEADERS(h), RD_KAFKA_V_END);
        if (err) {
            if (h)
                rd_kafka_headers_destroy(h);
            qWarning("produce: %s", rd_kafka_err2str(err));
            return false;
        }
    }
    return test::flushProducer(producer.get(), 30000) == 0 && test::deliveryFailures == 0;
}

void choose(QComboBox *combo, int data)
{
    const int index = combo->findData(data);
    QVERIFY(index >= 0);
    combo->setCurrentIndex(index);
}

} // namespace

class TestBrowser : public QObject
{
    Q_OBJECT

    test::TestBroker m_broker;
    test::KafkaHandle m_admin;
    std::unique_ptr<client::ClusterSession> m_session;
    int m_produced = 0;

    std::unique_ptr<widgets::MessageBrowserPane> makePane()
    {
        auto pane = std::make_unique<widgets::MessageBrowserPane>(m_session.get(),
                                                                  QString::fromLatin1(kTopic));
        pane->resize(1200, 700);
        pane->show();
        return pane;
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_admin = test::makeAdmin(m_broker.bootstrapStd());
        QVERIFY(m_admin);
        const std::string created = test::createTopic(m_admin.get(), kTopic, kPartitions);
        QVERIFY2(created.empty(), created.c_str());
        QVERIFY(produce(m_broker.bootstrapStd(), 0, kCount));
        m_produced = kCount;

        client::ConnectionSettings settings;
        settings.name = QStringLiteral("browser");
        settings.properties.insert(QStringLiteral("bootstrap.servers"), m_broker.bootstrap());
        m_session = std::make_unique<client::ClusterSession>(settings, false);
        m_session->open();
    }

    void cleanupTestCase()
    {
        m_session.reset();
        m_admin.reset();
    }

    void loadFilterAndDetail()
    {
        auto pane = makePane();
        QVERIFY(QTest::qWaitForWindowExposed(pane.get()));
        QAbstractItemModelTester tester(pane->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        QAbstractItemModelTester proxyTester(
            pane->proxy(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *start = child<QComboBox>(pane.get(), "startCombo");
        auto *stop = child<QComboBox>(pane.get(), "stopCombo");
        auto *load = child<QPushButton>(pane.get(), "loadButton");
        QVERIFY(start && stop && load);
        choose(start, int(client::BrowseRequest::Start::Oldest));
        choose(stop, int(client::BrowseRequest::Stop::Now));

        QSignalSpy finished(pane.get(), &widgets::MessageBrowserPane::loadFinished);
        QVERIFY(load->isEnabled());
        QTest::mouseClick(load, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        const auto error = finished.at(0).at(0).value<client::ClientError>();
        QVERIFY2(!error.isError(), qPrintable(error.message));
        QCOMPARE(pane->model()->rowCount(), m_produced);
        QCOMPARE(pane->proxy()->rowCount(), m_produced);
        QVERIFY(!pane->isLoading());
        QVERIFY(load->isEnabled());

        // Every message came through as it was produced.
        QSet<QByteArray> keys;
        int nullKeys = 0;
        for (int row = 0; row < pane->model()->rowCount(); ++row) {
            const QByteArray key = pane->model()->keyAt(row);
            if (key.isNull()) {
                ++nullKeys;
                continue;
            }
            keys.insert(key);
            const int i = key.mid(1).toInt();
            QCOMPARE(pane->model()->valueAt(row).toStdString(), valueOf(i));
            QVERIFY(!pane->model()->valueAt(row).isNull()); // empty is not null
            QCOMPARE(int(pane->model()->headersAt(row).size()), i % 3 == 0 ? 2 : 0);
        }
        QCOMPARE(nullKeys, m_produced / 10);
        QCOMPARE(int(keys.size()), m_produced - m_produced / 10);

        // The filter: typed, run off the GUI thread, reported once it settles.
        auto *filter = child<QLineEdit>(pane.get(), "messageFilter");
        QVERIFY(filter);
        QSignalSpy filtered(pane.get(), &widgets::MessageBrowserPane::filterFinished);
        QTest::keyClicks(filter, QStringLiteral("FindMe"));
        QTRY_VERIFY_WITH_TIMEOUT(!filtered.isEmpty(), 10000);
        QCOMPARE(filtered.last().at(0).toInt(), kNeedleMatches);
        QCOMPARE(pane->proxy()->rowCount(), kNeedleMatches);
        for (int row = 0; row < pane->proxy()->rowCount(); ++row)
            QVERIFY(pane->proxy()
                        ->index(row, models::MessageModel::Value)
                        .data()
                        .toString()
                        .contains(QStringLiteral("findme-")));
        // A header value is searched too.
        filtered.clear();
        filter->clear();
        QTest::keyClicks(filter, QStringLiteral("gui-test"));
        QTRY_VERIFY_WITH_TIMEOUT(!filtered.isEmpty(), 10000);
        QCOMPARE(filtered.last().at(0).toInt(), m_produced / 3);
        QCOMPARE(pane->proxy()->rowCount(), m_produced / 3);
        filtered.clear();
        filter->clear();
        QTRY_VERIFY_WITH_TIMEOUT(!filtered.isEmpty(), 10000);
        QCOMPARE(pane->proxy()->rowCount(), m_produced);

        // The detail panel: a binary value as a hex dump, a null key as null.
        auto *keyView = child<QPlainTextEdit>(pane.get(), "keyView");
        auto *valueView = child<QPlainTextEdit>(pane.get(), "valueView");
        QVERIFY(keyView && valueView);
        int binaryRow = -1, nullKeyRow = -1;
        for (int row = 0; row < pane->model()->rowCount(); ++row) {
            if (binaryRow < 0 && pane->model()->valueAt(row).startsWith('\0'))
                binaryRow = row;
            if (nullKeyRow < 0 && pane->model()->keyAt(row).isNull())
                nullKeyRow = row;
        }
        QVERIFY(binaryRow >= 0 && nullKeyRow >= 0);
        pane->view()->setCurrentIndex(pane->proxy()->index(binaryRow, 0));
        QTRY_VERIFY(valueView->toPlainText().startsWith(QStringLiteral("00000000")));
        QVERIFY(valueView->toPlainText().contains(QStringLiteral("00 01 02 ff")));
        pane->view()->setCurrentIndex(pane->proxy()->index(nullKeyRow, 0));
        QTRY_VERIFY(keyView->toPlainText().startsWith(QStringLiteral("null")));
        QVERIFY(valueView->toPlainText().contains(QStringLiteral("\"kind\"")));
    }

    void searchAndExpression()
    {
        auto pane = makePane();
        QVERIFY(QTest::qWaitForWindowExposed(pane.get()));
        choose(child<QComboBox>(pane.get(), "startCombo"),
               int(client::BrowseRequest::Start::Oldest));
        choose(child<QComboBox>(pane.get(), "stopCombo"), int(client::BrowseRequest::Stop::Now));
        // A search reads the whole topic and keeps only what the filter accepts.
        QTest::keyClicks(child<QLineEdit>(pane.get(), "messageFilter"), QStringLiteral("FindMe"));
        child<QCheckBox>(pane.get(), "searchCheck")->setChecked(true);
        QSignalSpy finished(pane.get(), &widgets::MessageBrowserPane::loadFinished);
        QTest::mouseClick(child<QPushButton>(pane.get(), "loadButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(pane->model()->rowCount(), 60);
        for (int row = 0; row < pane->model()->rowCount(); ++row)
            QVERIFY(pane->model()->valueAt(row).contains("findme"));

        // An expression over the loaded rows: the header, as a field.
        child<QCheckBox>(pane.get(), "searchCheck")->setChecked(false);
        QTest::mouseClick(child<QPushButton>(pane.get(), "loadButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        QSignalSpy filtered(pane.get(), &widgets::MessageBrowserPane::filterFinished);
        auto *mode = child<QComboBox>(pane.get(), "filterMode");
        mode->setCurrentIndex(mode->findText(QStringLiteral("expression")));
        pane->setFilterText(QStringLiteral("headers.source == \"gui-test\" && offset < 50"));
        QTRY_VERIFY_WITH_TIMEOUT(!filtered.isEmpty(), 10000);
        const int matches = filtered.last().at(0).toInt();
        QCOMPARE(matches, 50); // headers ride on every third message, all in partition 0
        for (int r = 0; r < pane->proxy()->rowCount(); ++r)
            QVERIFY(pane->proxy()->index(r, 1).data(models::MessageModel::SortRole).toLongLong() <
                    50);
    }

    void jsonAsAFoldingTree()
    {
        auto pane = makePane();
        QSignalSpy finished(pane.get(), &widgets::MessageBrowserPane::loadFinished);
        choose(child<QComboBox>(pane.get(), "startCombo"),
               int(client::BrowseRequest::Start::Oldest));
        pane->load();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        int jsonRow = -1;
        for (int row = 0; row < pane->model()->rowCount() && jsonRow < 0; ++row)
            if (pane->model()->valueAt(row).startsWith('{'))
                jsonRow = row;
        QVERIFY(jsonRow >= 0);
        pane->view()->setCurrentIndex(pane->proxy()->index(jsonRow, 0));
        auto *toggle = child<QCheckBox>(pane.get(), "treeToggle");
        QTRY_VERIFY(toggle->isEnabled());
        toggle->setChecked(true);
        auto *tree = child<QTreeWidget>(pane.get(), "valueTree");
        QTRY_VERIFY(tree->isVisible());
        QCOMPARE(tree->topLevelItemCount(), 1);
        QVERIFY(tree->topLevelItem(0)->childCount() > 0);
    }

    void wholeValueOfAFiftyMegabyteMessage()
    {
        QCOMPARE(test::createTopic(m_admin.get(), "big", 1, {{"max.message.bytes", "60000000"}}),
                 std::string());
        const std::string huge(50 * 1024 * 1024, 'z');
        auto producer =
            test::makeProducer(m_broker.bootstrapStd(), {{"message.max.bytes", "60000000"}});
        rd_kafka_producev(producer.get(), RD_KAFKA_V_TOPIC("big"),
                          RD_KAFKA_V_VALUE(const_cast<char *>(huge.data()), huge.size()),
                          RD_KAFKA_V_MSGFLAGS(RD_KAFKA_MSG_F_COPY), RD_KAFKA_V_END);
        QCOMPARE(test::flushProducer(producer.get()), 0);
        widgets::MessageBrowserPane pane(m_session.get(), QStringLiteral("big"));
        pane.resize(1200, 700);
        pane.show();
        QSignalSpy finished(&pane, &widgets::MessageBrowserPane::loadFinished);
        pane.load();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        QCOMPARE(pane.model()->rowCount(), 1);
        // The table holds a cut value; the detail offers the rest.
        QVERIFY(pane.model()->valueAt(0).size() < qsizetype(huge.size()));
        pane.view()->setCurrentIndex(pane.proxy()->index(0, 0));
        auto *whole = child<QPushButton>(&pane, "wholeValueButton");
        QTRY_VERIFY(whole->isVisible());
        QTest::mouseClick(whole, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!whole->isVisible(), 30000);
        auto *value = child<QPlainTextEdit>(&pane, "valueView");
        QTRY_VERIFY_WITH_TIMEOUT(value->toPlainText().startsWith(QStringLiteral("zzzz")), 30000);
    }

    void followLiveAndCancel()
    {
        auto pane = makePane();
        QVERIFY(QTest::qWaitForWindowExposed(pane.get()));
        QAbstractItemModelTester tester(pane->model(),
                                        QAbstractItemModelTester::FailureReportingMode::QtTest);
        auto *start = child<QComboBox>(pane.get(), "startCombo");
        auto *stop = child<QComboBox>(pane.get(), "stopCombo");
        auto *load = child<QPushButton>(pane.get(), "loadButton");
        auto *cancel = child<QPushButton>(pane.get(), "cancelButton");
        QVERIFY(start && stop && load && cancel);
        choose(start, int(client::BrowseRequest::Start::Oldest));
        choose(stop, int(client::BrowseRequest::Stop::Follow));

        QSignalSpy finished(pane.get(), &widgets::MessageBrowserPane::loadFinished);
        QTest::mouseClick(load, Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(pane->model()->rowCount(), m_produced, 30000);
        QVERIFY(pane->isLoading());
        QVERIFY(finished.isEmpty());

        QVERIFY(produce(m_broker.bootstrapStd(), m_produced, m_produced + 5));
        m_produced += 5;
        QTRY_COMPARE_WITH_TIMEOUT(pane->model()->rowCount(), m_produced, 30000);
        QSet<QByteArray> keys;
        for (int row = 0; row < pane->model()->rowCount(); ++row)
            keys.insert(pane->model()->keyAt(row));
        for (int i = m_produced - 5; i < m_produced; ++i)
            if (i % 10)
                QVERIFY(keys.contains(QByteArray("k") + QByteArray::number(i)));
        QVERIFY(pane->isLoading());

        QVERIFY(cancel->isEnabled());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(finished.count(), 1); // at once, not when the reader notices
        QVERIFY(!pane->isLoading());
        const auto error = finished.at(0).at(0).value<client::ClientError>();
        QVERIFY2(!error.isError(), qPrintable(error.message));
        QVERIFY(load->isEnabled());
        QCOMPARE(pane->model()->rowCount(), m_produced);
    }

    void pausedLiveTailKeepsAtMostTheRing()
    {
        widgets::BrowserSettings settings = widgets::BrowserSettings::load();
        settings.liveTailRows = 100; // the smallest ring the settings allow
        settings.save();
        const auto restore = qScopeGuard([&settings] {
            settings.liveTailRows = widgets::BrowserSettings().liveTailRows;
            settings.save();
        });
        auto pane = makePane();
        choose(child<QComboBox>(pane.get(), "startCombo"),
               int(client::BrowseRequest::Start::Oldest));
        choose(child<QComboBox>(pane.get(), "stopCombo"), int(client::BrowseRequest::Stop::Follow));
        QTest::mouseClick(child<QPushButton>(pane.get(), "loadButton"), Qt::LeftButton);
        // The whole backlog read and shown before pausing: only the rounds below come after.
        qint64 read = 0;
        connect(pane->browseSession(), &client::BrowseSession::progress, this,
                [&read](const client::BrowseProgress &p) { read = p.messages; });
        QTRY_COMPARE_WITH_TIMEOUT(read, qint64(m_produced), 30000);
        QTRY_VERIFY(pane->browseSession()->queuedBatches() == 0);
        QCOMPARE(pane->model()->rowCount(), 100);

        auto *pause = child<QPushButton>(pane.get(), "pauseButton");
        QTest::mouseClick(pause, Qt::LeftButton);
        // Five rounds of 40, each waited for: at least five batches arrive while paused.
        for (int round = 1; round <= 5; ++round) {
            QVERIFY(produce(m_broker.bootstrapStd(), m_produced, m_produced + 40));
            m_produced += 40;
            QTRY_COMPARE_WITH_TIMEOUT(pane->heldRowsWhilePaused() + pane->droppedWhilePaused(),
                                      qint64(40 * round), 30000);
            // No more than the ring shows, plus the batch that just came.
            QVERIFY2(pane->heldRowsWhilePaused() <= 100 + 40,
                     qPrintable(QString::number(pane->heldRowsWhilePaused())));
        }
        QCOMPARE(pane->model()->rowCount(), 100); // paused: the table did not move

        QTest::mouseClick(pause, Qt::LeftButton);
        QCOMPARE(pane->model()->rowCount(), 100);
        // The newest are shown (the last round whole); what the ring could not keep is
        // counted and said.
        QSet<QByteArray> keys;
        for (int row = 0; row < 100; ++row)
            keys.insert(pane->model()->keyAt(row));
        for (int i = m_produced - 40; i < m_produced; ++i)
            if (i % 10)
                QVERIFY2(keys.contains("k" + QByteArray::number(i)), QByteArray::number(i));
        const QString status = child<QLabel>(pane.get(), "filterStatus")->text();
        QVERIFY2(status.contains(QStringLiteral("100 messages arrived while paused and were "
                                                "dropped")),
                 qPrintable(status));
        pane->cancel();
    }

    void cancelledBatchesNeverArrive()
    {
        auto pane = makePane();
        choose(child<QComboBox>(pane.get(), "startCombo"),
               int(client::BrowseRequest::Start::Oldest));
        choose(child<QComboBox>(pane.get(), "stopCombo"), int(client::BrowseRequest::Stop::Now));
        pane->load();
        // Without turning the event loop: the reader has sent a batch the window has not
        // applied yet.
        QDeadlineTimer deadline(30000);
        while (pane->browseSession()->queuedBatches() == 0 && !deadline.hasExpired())
            QThread::msleep(5);
        QVERIFY(pane->browseSession()->queuedBatches() > 0);
        pane->cancel();
        QTRY_VERIFY(!pane->isLoading());
        // The job has ended and whatever it had sent was dropped with its mailbox.
        QTRY_COMPARE(m_session->client()->browsePool().runningJobs(), 0);
        QCoreApplication::processEvents();
        QCOMPARE(pane->model()->rowCount(), 0);

        // A new load shows that load's messages, once each.
        QSignalSpy finished(pane.get(), &widgets::MessageBrowserPane::loadFinished);
        pane->load();
        pane->load(); // replaces the first at once
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 2, 30000);
        QCOMPARE(pane->model()->rowCount(), m_produced);
    }

    void sortingRunsOffTheGuiThreadAndCanBeCancelled()
    {
        auto pane = makePane();
        choose(child<QComboBox>(pane.get(), "startCombo"),
               int(client::BrowseRequest::Start::Oldest));
        choose(child<QComboBox>(pane.get(), "stopCombo"), int(client::BrowseRequest::Stop::Now));
        QSignalSpy finished(pane.get(), &widgets::MessageBrowserPane::loadFinished);
        pane->load();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 30000);
        std::vector<qint64> arrival;
        for (int row = 0; row < pane->model()->rowCount(); ++row)
            arrival.push_back(pane->model()->recordAt(row).offset * 10 +
                              pane->model()->recordAt(row).partition);

        // A click starts the sort in a job: nothing moves until it is done.
        QSignalSpy sorted(pane.get(), &widgets::MessageBrowserPane::sortFinished);
        pane->sortBy(models::MessageModel::Offset, Qt::DescendingOrder);
        QVERIFY(pane->isSorting());
        QVERIFY(child<QPushButton>(pane.get(), "cancelButton")->isEnabled());
        QTRY_COMPARE(sorted.count(), 1);
        QVERIFY(!pane->isSorting());
        for (int row = 1; row < pane->model()->rowCount(); ++row)
            QVERIFY(pane->model()->recordAt(row - 1).offset >= pane->model()->recordAt(row).offset);

        // Cancelled before its answer is applied: the order stays as it was.
        pane->sortBy(-1, Qt::AscendingOrder);
        QTest::mouseClick(child<QPushButton>(pane.get(), "cancelButton"), Qt::LeftButton);
        QVERIFY(!pane->isSorting());
        QCOMPARE(child<QLabel>(pane.get(), "filterStatus")->text(),
                 QStringLiteral("Sorting cancelled."));
        QTRY_COMPARE(jobs::localPool().runningJobs(), 0);
        QCoreApplication::processEvents();
        QCOMPARE(sorted.count(), 1);
        QVERIFY(pane->model()->recordAt(0).offset >= pane->model()->recordAt(1).offset);

        // Back to arrival order, as loaded.
        pane->sortBy(-1, Qt::AscendingOrder);
        QTRY_COMPARE(sorted.count(), 2);
        for (int row = 0; row < pane->model()->rowCount(); ++row)
            QCOMPARE(pane->model()->recordAt(row).offset * 10 +
                         pane->model()->recordAt(row).partition,
                     arrival[std::size_t(row)]);
    }
};

QTEST_MAIN(TestBrowser)
#include "tst_browser.moc"
