// A cluster let go of while every kind of pane and dialog is open and requests are in flight
// (the broker frozen, so they cannot finish): nothing uses the freed session, every dialog
// that stays says the session ended, and no late answer reaches anyone once the broker
// answers again. Run under AddressSanitizer, a use of the freed session fails the suite.
#include "browser/messagebrowserpane.h"
#include "browser/messagemodel.h"
#include "browser/producerdialog.h"
#include "client/kafkahandle.h"
#include "cluster/brokerspane.h"
#include "cluster/overviewpane.h"
#include "common/actionprogress.h"
#include "connections.h"
#include "groups/groupactions.h"
#include "groups/groupdetailpane.h"
#include "groups/groupspane.h"
#include "groups/resetoffsetsdialog.h"
#include "guitest.h"
#include "jobs/jobpool.h"
#include "jobs/localpool.h"
#include "kafka.h"
#include "mainwindow.h"
#include "shutdown.h"
#include "testbroker.h"
#include "testclient.h"
#include "topics/topicdetailpane.h"
#include "topics/topicfilterproxy.h"
#include "topics/topicspane.h"
#include "window/navigator.h"

#include <QComboBox>
#include <QLabel>
#include <QMessageBox>
#include <QPlainTextEdit>
#include <QPointer>
#include <QPushButton>
#include <QSettings>
#include <QSignalSpy>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTest>
#include <QTimer>

using namespace periscope;

namespace {

constexpr char kTopic[] = "events";
constexpr int kPartitions = 3;

template <typename Pane>
Pane *paneOf(app::MainWindow &window)
{
    for (int i = 0; i < window.tabs()->count(); ++i)
        if (auto *p = qobject_cast<Pane *>(window.tabs()->widget(i)))
            return p;
    return nullptr;
}

} // namespace

class TestDisconnect : public QObject
{
    Q_OBJECT

    test::TestBroker m_broker{
        {QStringLiteral("--group-initial-rebalance-delay-ms"), QStringLiteral("0")}};

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_broker.start());
        auto admin = test::makeAdmin(m_broker.bootstrapStd());
        QCOMPARE(test::createTopic(admin.get(), kTopic, kPartitions), std::string());
        auto producer = test::makeProducer(m_broker.bootstrapStd());
        QCOMPARE(test::produceEach(producer.get(), kTopic, kPartitions, 20), 0);
        // An Empty group with offsets, so its detail and reset dialog have work to do.
        auto member = test::joinGroup(m_broker.bootstrapStd(), "stopped", kTopic, kPartitions);
        QVERIFY(member);
        QVERIFY(test::commitOffsets(member.get(), kTopic, {{0, 5}, {1, 5}, {2, 5}}));
        rd_kafka_consumer_close(member.get());
    }

    void init()
    {
        QSettings().clear();
        QFile::remove(profiles::ProfileStore::defaultFilePath());
    }

    void everyPaneAndDialogOutlivesItsSession_data()
    {
        QTest::addColumn<bool>("deleteProfile");
        QTest::newRow("disconnected from the navigator") << false;
        QTest::newRow("its profile deleted") << true;
    }

    void everyPaneAndDialogOutlivesItsSession()
    {
        QFETCH(bool, deleteProfile);
        app::LaunchOptions options;
        options.bootstrap = m_broker.bootstrap();
        app::MainWindow window(options, nullptr);
        window.resize(1280, 800);
        window.show();
        QSignalSpy ready(&window, &app::MainWindow::clusterReady);
        QVERIFY(ready.wait(20000));
        const QString id = ready.first().first().toString();

        // One pane of every kind, then the dialogs that can stay open.
        for (const QString &key :
             {QStringLiteral("overview"), QStringLiteral("brokers"), QStringLiteral("topics"),
              QStringLiteral("topic:events"), QStringLiteral("groups"),
              QStringLiteral("group:stopped"), QStringLiteral("messages:events")})
            QVERIFY2(window.openPane(id, key), qPrintable(key));
        auto *browser = paneOf<widgets::MessageBrowserPane>(window);
        QVERIFY(browser);
        QTRY_VERIFY_WITH_TIMEOUT(!browser->isLoading(), 20000);
        Q_EMIT browser->produceAgain(QString::fromLatin1(kTopic), "k", "v", {});
        QPointer<widgets::ProducerDialog> producer = window.findChild<widgets::ProducerDialog *>();
        QVERIFY(producer);
        auto *detail = paneOf<widgets::GroupDetailPane>(window);
        QVERIFY(detail);
        detail->actions()->resetOffsets(QStringLiteral("stopped"), QString(), {});
        QPointer<widgets::ResetOffsetsDialog> reset = detail->actions()->resetDialog();
        QVERIFY(reset);

        // Requests that cannot finish: the broker answers nothing while frozen.
        m_broker.freeze();
        producer->send();
        QVERIFY(!producer->findChild<QPushButton *>(QStringLiteral("sendButton"))->isEnabled());
        browser->load();
        QVERIFY(browser->isLoading());
        reset->preview();
        paneOf<widgets::TopicDetailPane>(window)->reloadConfigs();
        window.connections()->session(id)->refresh();

        if (deleteProfile) {
            // "Delete the connection?" — yes. The reset dialog is modal too: wait for the box.
            QTimer answer;
            connect(&answer, &QTimer::timeout, this, [] {
                if (auto *box = qobject_cast<QMessageBox *>(QApplication::activeModalWidget()))
                    box->button(QMessageBox::Yes)->click();
            });
            answer.start(20);
            Q_EMIT window.navigator()->deleteRequested(id);
        } else {
            Q_EMIT window.navigator()->disconnectRequested(id);
        }
        QVERIFY(!window.connections()->session(id));
        QCOMPARE(window.tabs()->count(), 0); // its panes close with it
        // The session and the panes go at the event loop's next turn, as in the console.
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);

        // The producer dialog stays, says so, and sends nothing more.
        QVERIFY(producer);
        QVERIFY2(producer->problem().contains(QStringLiteral("Disconnected from")),
                 qPrintable(producer->problem()));
        QVERIFY(!producer->findChild<QPushButton *>(QStringLiteral("sendButton"))->isEnabled());
        const QString banner =
            producer->findChild<widgets::ActionProgress *>(QStringLiteral("resultBanner"))->text();
        QVERIFY2(banner.contains(QStringLiteral("Not known whether")), qPrintable(banner));
        producer->send(); // refused, quietly
        QCOMPARE(
            producer->findChild<widgets::ActionProgress *>(QStringLiteral("resultBanner"))->text(),
            banner);

        // The broker answers again; every job of the old session ends and anything they
        // still had to say is dropped.
        m_broker.thaw();
        QVERIFY(jobs::shutdownLocalPool(30000));
        QVERIFY(jobs::waitForJobThreads(30000));
        QCoreApplication::processEvents();
        QCoreApplication::sendPostedEvents(nullptr, QEvent::DeferredDelete);
        QCOMPARE(
            producer->findChild<widgets::ActionProgress *>(QStringLiteral("resultBanner"))->text(),
            banner);
        delete producer.data();
        QVERIFY(!reset); // it closed with its pane
    }

    void quittingEndsEveryJob()
    {
        // What main() does at the end: the window goes with its clusters, then the rest of
        // the work is cancelled and waited for, within a bound.
        {
            app::LaunchOptions options;
            options.bootstrap = m_broker.bootstrap();
            app::MainWindow window(options, nullptr);
            window.show();
            QSignalSpy ready(&window, &app::MainWindow::clusterReady);
            QVERIFY(ready.wait(20000));
            const QString id = ready.first().first().toString();
            QVERIFY(window.openPane(id, QStringLiteral("groups")));
            auto *browser = qobject_cast<widgets::MessageBrowserPane *>(
                window.openPane(id, QStringLiteral("messages:events")));
            QVERIFY(browser);
            // A live tail never ends by itself.
            test::child<QComboBox>(browser, "stopCombo")
                ->setCurrentIndex(test::child<QComboBox>(browser, "stopCombo")
                                      ->findData(int(client::BrowseRequest::Stop::Follow)));
            browser->load();
            QTRY_VERIFY(browser->model()->rowCount() > 0);
            QVERIFY(browser->isLoading());
        }
        QVERIFY(app::endBackgroundWork(20000));
        QCOMPARE(jobs::liveJobThreads(), 0);
        QCOMPARE(client::liveHandleCount(), 0);
    }

    void quittingWaitsOnlyABoundedTime()
    {
        // A request stuck inside librdkafka (the broker frozen) cannot be interrupted: the
        // wait gives up at its bound and says so, instead of keeping the console alive.
        {
            auto client = std::make_unique<client::ClusterClient>(
                test::testSettings(m_broker.bootstrap(), 15000));
            client->open();
            QTRY_COMPARE(client->state(), client::ClusterClient::State::Connected);
            m_broker.freeze();
            client->metadata(); // blocks in rd_kafka_metadata() until the broker answers
            QTRY_COMPARE(client->requestPool().runningJobs(), 1);
        }
        QVERIFY(!app::endBackgroundWork(300));
        m_broker.thaw();
        QVERIFY(app::endBackgroundWork(30000));
        QCOMPARE(jobs::liveJobThreads(), 0);
    }

    void aNewSessionAfterwardsWorks()
    {
        // Nothing of the old session lingers: connecting again gives working panes.
        app::LaunchOptions options;
        options.bootstrap = m_broker.bootstrap();
        app::MainWindow window(options, nullptr);
        window.show();
        QSignalSpy ready(&window, &app::MainWindow::clusterReady);
        QVERIFY(ready.wait(20000));
        auto *topics = qobject_cast<widgets::TopicsPane *>(
            window.openPane(ready.first().first().toString(), QStringLiteral("topics")));
        QVERIFY(topics);
        QTRY_VERIFY(topics->proxy()->rowCount() > 0);
    }
};

QTEST_MAIN(TestDisconnect)
#include "tst_disconnect.moc"
