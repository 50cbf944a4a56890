// The producer dialog and the import action against a real broker: what the user types
// arrives, byte for byte, as librdkafka reads it back.
#include "browser/producerdialog.h"
#include "client/clustersession.h"
#include "common/actionprogress.h"
#include "common/sessionhold.h"
#include "guitest.h"
#include "jobs/localpool.h"
#include "kafka.h"
#include "testbroker.h"
#include "topics/topicactions.h"

#include <QApplication>
#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QSpinBox>
#include <QTableWidget>
#include <QTemporaryDir>
#include <QTest>
#include <condition_variable>
#include <mutex>

using namespace periscope;

namespace {

using test::child;
using test::retype;

client::ConnectionSettings settingsFor(const QString &bootstrap)
{
    client::ConnectionSettings settings;
    settings.name = QStringLiteral("producer");
    settings.properties.insert(QStringLiteral("bootstrap.servers"), bootstrap);
    return settings;
}

int producerDialogs()
{
    int n = 0;
    for (QWidget *w : QApplication::topLevelWidgets())
        if (qobject_cast<widgets::ProducerDialog *>(w))
            ++n;
    return n;
}

} // namespace

class TestProducer final : public QObject
{
    Q_OBJECT

    test::TestBroker m_broker;
    test::KafkaHandle m_admin;
    std::unique_ptr<client::ClusterSession> m_session;

    // A shown dialog for the topic; Send is clicked by the caller.
    std::unique_ptr<widgets::ProducerDialog> openDialog(const char *topic)
    {
        auto dialog = std::make_unique<widgets::ProducerDialog>(m_session.get());
        dialog->setTopic(QString::fromLatin1(topic));
        dialog->show();
        if (!QTest::qWaitForWindowExposed(dialog.get()))
            qWarning("dialog not exposed");
        return dialog;
    }

    static bool sendAndWait(widgets::ProducerDialog *dialog)
    {
        auto *send = child<QPushButton>(dialog, "sendButton");
        if (!send->isEnabled())
            return false;
        QTest::mouseClick(send, Qt::LeftButton);
        auto *banner = child<widgets::ActionProgress>(dialog, "resultBanner");
        return QTest::qWaitFor(
            [banner] { return banner->state() == widgets::ActionProgress::State::Succeeded; },
            30000);
    }

private Q_SLOTS:
    void initTestCase()
    {
        QVERIFY(m_broker.start());
        m_admin = test::makeAdmin(m_broker.bootstrapStd());
        QVERIFY(m_admin);
        for (const char *t : {"out", "hexed", "nulls", "imported"})
            QCOMPARE(test::createTopic(m_admin.get(), t, 1), std::string());
        m_session =
            std::make_unique<client::ClusterSession>(settingsFor(m_broker.bootstrap()), false);
        m_session->open();
        QTRY_VERIFY_WITH_TIMEOUT(
            m_session->client()->state() == client::ClusterClient::State::Connected, 30000);
        m_session->refresh();
        QTRY_VERIFY_WITH_TIMEOUT(m_session->topic(QStringLiteral("imported")), 30000);
    }

    void cleanupTestCase() { m_session.reset(); }

    void sendsNumberedJson()
    {
        auto dialog = openDialog("out");
        auto *topics = child<QComboBox>(dialog.get(), "topicCombo");
        QVERIFY(topics->findText(QStringLiteral("out")) >= 0);
        QCOMPARE(child<QSpinBox>(dialog.get(), "partitionSpin")->text(),
                 QStringLiteral("automatic"));
        QTest::keyClicks(child<QLineEdit>(dialog.get(), "keyEdit"), QStringLiteral("k-{{i}}"));
        child<QComboBox>(dialog.get(), "valueFormatCombo")
            ->setCurrentIndex(int(widgets::ProducerDialog::Format::Json));
        QTest::keyClicks(child<QPlainTextEdit>(dialog.get(), "valueEdit"),
                         QStringLiteral("{\"n\": 1}"));
        retype(child<QSpinBox>(dialog.get(), "countSpin"), QStringLiteral("5"));
        QVERIFY2(sendAndWait(dialog.get()), qPrintable(dialog->problem()));
        const QString result = child<widgets::ActionProgress>(dialog.get(), "resultBanner")->text();
        QVERIFY2(result.startsWith(QStringLiteral("5 delivered to partition 0")),
                 qPrintable(result));
        QVERIFY(dialog->isVisible()); // ready to send again

        const auto messages = test::readAll(m_broker.bootstrapStd(), "out", 1, 5);
        QCOMPARE(messages.size(), std::size_t(5));
        for (std::size_t i = 0; i < messages.size(); ++i) {
            QVERIFY(!messages[i].keyNull);
            QCOMPARE(messages[i].key, "k-" + std::to_string(i));
            QCOMPARE(messages[i].value, std::string("{\"n\": 1}"));
        }
    }

    void invalidJsonDisablesSend()
    {
        auto dialog = openDialog("out");
        auto *send = child<QPushButton>(dialog.get(), "sendButton");
        auto *value = child<QPlainTextEdit>(dialog.get(), "valueEdit");
        child<QComboBox>(dialog.get(), "valueFormatCombo")
            ->setCurrentIndex(int(widgets::ProducerDialog::Format::Json));
        QTest::keyClicks(value, QStringLiteral("{\"n\": "));
        QVERIFY(!send->isEnabled());
        QVERIFY(child<QLabel>(dialog.get(), "problemLabel")->isVisible());
        QVERIFY(dialog->problem().contains(QStringLiteral("JSON")));
        QTest::keyClicks(value, QStringLiteral("{{i}}}"));
        QVERIFY2(send->isEnabled(), qPrintable(dialog->problem()));
    }

    void sendsHexBytes()
    {
        auto dialog = openDialog("hexed");
        child<QComboBox>(dialog.get(), "valueFormatCombo")
            ->setCurrentIndex(int(widgets::ProducerDialog::Format::Hex));
        auto *value = child<QPlainTextEdit>(dialog.get(), "valueEdit");
        QTest::keyClicks(value, QStringLiteral("00 ff 1"));
        QVERIFY(!child<QPushButton>(dialog.get(), "sendButton")->isEnabled());
        QTest::keyClicks(value, QStringLiteral("0"));
        QVERIFY(sendAndWait(dialog.get()));
        const QString result = child<widgets::ActionProgress>(dialog.get(), "resultBanner")->text();
        QVERIFY2(result.startsWith(QStringLiteral("Delivered to partition 0 at offset 0")),
                 qPrintable(result));

        const auto messages = test::readAll(m_broker.bootstrapStd(), "hexed", 1, 1);
        QCOMPARE(messages.size(), std::size_t(1));
        QCOMPARE(messages[0].value, std::string("\x00\xff\x10", 3));
    }

    void sendsNullValue()
    {
        auto dialog = openDialog("nulls");
        QTest::keyClicks(child<QLineEdit>(dialog.get(), "keyEdit"), QStringLiteral("gone"));
        QTest::keyClicks(child<QPlainTextEdit>(dialog.get(), "valueEdit"), QStringLiteral("x"));
        child<QCheckBox>(dialog.get(), "nullValueCheck")->setChecked(true);
        QVERIFY(!child<QPlainTextEdit>(dialog.get(), "valueEdit")->isEnabled());
        QVERIFY(sendAndWait(dialog.get()));

        const auto messages = test::readAll(m_broker.bootstrapStd(), "nulls", 1, 1);
        QCOMPARE(messages.size(), std::size_t(1));
        QCOMPARE(messages[0].key, std::string("gone"));
        QVERIFY(messages[0].valueNull);
    }

    void prefillsFromAMessage()
    {
        auto dialog = openDialog("out");
        dialog->setMessage(QStringLiteral("hexed"), QByteArray(), QByteArray("\x01\x02", 2),
                           {{"trace", "abc", false}});
        QCOMPARE(child<QComboBox>(dialog.get(), "topicCombo")->currentText(),
                 QStringLiteral("hexed"));
        QVERIFY(child<QCheckBox>(dialog.get(), "nullKeyCheck")->isChecked());
        QCOMPARE(child<QComboBox>(dialog.get(), "valueFormatCombo")->currentIndex(),
                 int(widgets::ProducerDialog::Format::Hex));
        QCOMPARE(child<QPlainTextEdit>(dialog.get(), "valueEdit")->toPlainText(),
                 QStringLiteral("01 02"));
        QCOMPARE(child<QTableWidget>(dialog.get(), "headersTable")->rowCount(), 1);
        QVERIFY(dialog->problem().isEmpty());
    }

    void importsJsonLines()
    {
        QWidget parent;
        widgets::ActionProgress progress(&parent);
        widgets::SessionHold hold(m_session.get(), nullptr, &parent);
        widgets::TopicActions actions(&hold, &progress, &parent);
        QTemporaryDir dir;
        const QString broken = dir.filePath(QStringLiteral("broken.jsonl"));
        QFile file(broken);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write("{\"key\":\"a\",\"value\":\"1\"}\n{\"key\":\n");
        file.close();
        actions.importFile(QStringLiteral("imported"), broken);
        // Read in a job: the banner is busy, with Cancel, until the file is parsed.
        QCOMPARE(progress.state(), widgets::ActionProgress::State::Busy);
        QTRY_COMPARE(progress.state(), widgets::ActionProgress::State::Failed);
        QVERIFY2(progress.text().contains(QStringLiteral("line 2")), qPrintable(progress.text()));

        const QString good = dir.filePath(QStringLiteral("good.jsonl"));
        file.setFileName(good);
        QVERIFY(file.open(QIODevice::WriteOnly));
        file.write(
            "{\"key\":\"a\",\"value\":\"1\"}\n\n{\"key\":null,\"value\":{\"base64\":\"/wA=\"}}\n");
        file.close();
        QSignalSpy changed(&actions, &widgets::TopicActions::changed);
        actions.importFile(QStringLiteral("imported"), good);
        QTRY_VERIFY_WITH_TIMEOUT(progress.state() != widgets::ActionProgress::State::Busy, 30000);
        QCOMPARE(progress.text(), QStringLiteral("Imported 2 messages into imported"));
        QCOMPARE(changed.count(), 1);

        const auto messages = test::readAll(m_broker.bootstrapStd(), "imported", 1, 2);
        QCOMPARE(messages.size(), std::size_t(2));
        QCOMPARE(messages[0].key, std::string("a"));
        QVERIFY(messages[1].keyNull);
        QCOMPARE(messages[1].value, std::string("\xff\x00", 2));
    }

    void importCanBeCancelledWhileReading()
    {
        QWidget parent;
        widgets::ActionProgress progress(&parent);
        widgets::SessionHold hold(m_session.get(), nullptr, &parent);
        widgets::TopicActions actions(&hold, &progress, &parent);
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("many.jsonl"));
        QFile file(path);
        QVERIFY(file.open(QIODevice::WriteOnly));
        for (int i = 0; i < 1000; ++i)
            file.write("{\"key\":\"k\",\"value\":\"v\"}\n");
        file.close();
        // Every local worker held, so the reading waits in the queue until the test says.
        std::mutex mutex;
        std::condition_variable opened;
        bool open = false;
        QList<jobs::Pending<int>> blockers;
        for (int i = 0; i < jobs::localPool().maxThreads(); ++i)
            blockers.append(jobs::localPool().submit([&](const jobs::JobToken &) {
                std::unique_lock lock(mutex);
                opened.wait(lock, [&] { return open; });
                return 0;
            }));
        actions.importFile(QStringLiteral("never-imported"), path);
        QCOMPARE(progress.state(), widgets::ActionProgress::State::Busy);
        auto *cancel = progress.findChild<QPushButton *>(QStringLiteral("cancelActionButton"));
        QVERIFY(cancel && !cancel->isHidden());
        QTest::mouseClick(cancel, Qt::LeftButton);
        QCOMPARE(progress.state(), widgets::ActionProgress::State::Failed);
        QVERIFY2(progress.text().contains(QStringLiteral("cancelled")),
                 qPrintable(progress.text()));
        {
            const std::lock_guard lock(mutex);
            open = true;
        }
        opened.notify_all();
        for (const auto &b : blockers)
            b.wait();
        // The reading ran (cancelled) and its answer was dropped: nothing was sent.
        QTRY_COMPARE(jobs::localPool().runningJobs() + jobs::localPool().waitingJobs(), 0);
        QCoreApplication::processEvents();
        QCOMPARE(progress.state(), widgets::ActionProgress::State::Failed);
        QVERIFY(progress.text().contains(QStringLiteral("cancelled")));
    }

    void readOnlyOffersNothing()
    {
        client::ClusterSession readOnly(settingsFor(m_broker.bootstrap()), true);
        QWidget parent;
        widgets::ActionProgress progress(&parent);
        widgets::SessionHold hold(&readOnly, nullptr, &parent);
        widgets::TopicActions actions(&hold, &progress, &parent);
        QVERIFY(!actions.allowed());
        const int before = producerDialogs();
        actions.produceTo(QStringLiteral("out"));
        QCOMPARE(producerDialogs(), before);
        actions.importFile(QStringLiteral("out"), QStringLiteral("/nonexistent.jsonl"));
        QCOMPARE(progress.state(), widgets::ActionProgress::State::Idle);
    }
};

QTEST_MAIN(TestProducer)
#include "tst_producer.moc"
