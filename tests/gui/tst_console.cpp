// The whole console against a real broker, driven like a user: create a connection in
// its dialog, connect, filter topics, create a topic, edit a config, delete the topic;
// a read-only connection offers none of the changing actions; the welcome pane leads a new
// user to a first connection and says what to do next whenever no pane is open.
#include "adminops.h"
#include "connections.h"
#include "guitest.h"
#include "mainwindow.h"
#include "profiles/profilestore.h"
#include "testbroker.h"
#include "topics/topicdetailpane.h"
#include "topics/topicfilterproxy.h"
#include "topics/topicspane.h"
#include "window/navigator.h"

#include <QAction>
#include <QApplication>
#include <QDialog>
#include <QDialogButtonBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace periscope;

namespace {

using test::child;
using test::clickOk;
using test::retype;
using test::whenDialogOpens;

// Answers the next connection dialog with a name and a bootstrap address.
void fillConnectionDialog(const QString &name, const QString &bootstrapServers)
{
    whenDialogOpens([name, bootstrapServers](QWidget *dialog) {
        QTest::keyClicks(child<QLineEdit>(dialog, "nameEdit"), name);
        QLineEdit *bootstrap = child<QLineEdit>(dialog, "bootstrapEdit");
        bootstrap->clear();
        QTest::keyClicks(bootstrap, bootstrapServers);
        clickOk(dialog);
    });
}

widgets::TopicsPane *topicsPane(app::MainWindow &w)
{
    for (int i = 0; i < w.tabs()->count(); ++i)
        if (auto *p = qobject_cast<widgets::TopicsPane *>(w.tabs()->widget(i)))
            return p;
    return nullptr;
}

bool listed(widgets::TopicsPane *pane, const QString &name)
{
    auto *proxy = pane->proxy();
    for (int r = 0; r < proxy->rowCount(); ++r)
        if (proxy->index(r, 0).data().toString() == name)
            return true;
    return false;
}

} // namespace

class TestConsole : public QObject
{
    Q_OBJECT

    test::TestBroker m_broker;
    test::KafkaHandle m_admin;
    test::AdminOps m_ops;

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QVERIFY(m_broker.start());
        m_admin = test::makeAdmin(m_broker.bootstrapStd());
        m_ops.setHandle(m_admin.get());
        for (const char *t : {"orders-eu", "orders-us", "payments", "audit"})
            QCOMPARE(m_ops.create(t, 2).error, RD_KAFKA_RESP_ERR_NO_ERROR);
    }

    void init()
    {
        // Every case starts as a new user: no saved connections, no saved layout.
        QFile::remove(profiles::ProfileStore::defaultFilePath());
        QSettings().clear();
    }

    void createConnectFilterCreateEditDelete()
    {
        app::MainWindow window(app::LaunchOptions{}, nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));

        // A new connection through its dialog.
        fillConnectionDialog(QStringLiteral("Dev"), m_broker.bootstrap());
        window.findChild<QAction *>(QStringLiteral("newConnectionAction"))->trigger();
        QTRY_COMPARE(window.navigator()->topLevelItemCount(), 1);
        QTreeWidgetItem *item = window.navigator()->topLevelItem(0);
        QCOMPARE(item->text(0), QStringLiteral("Dev"));

        // Connect; the topics pane fills.
        Q_EMIT window.navigator()->itemActivated(item, 0);
        QTRY_VERIFY_WITH_TIMEOUT(topicsPane(window), 15000);
        widgets::TopicsPane *topics = topicsPane(window);
        QTRY_VERIFY_WITH_TIMEOUT(listed(topics, QStringLiteral("payments")), 15000);

        // Filter as you type.
        QTest::keyClicks(child<QLineEdit>(topics, "topicFilter"), QStringLiteral("orders"));
        QTRY_COMPARE(topics->proxy()->rowCount(), 2);
        QVERIFY(!listed(topics, QStringLiteral("payments")));
        child<QLineEdit>(topics, "topicFilter")->clear();
        QTRY_VERIFY(listed(topics, QStringLiteral("payments")));

        // Create a topic through its dialog.
        whenDialogOpens([](QWidget *dialog) {
            QTest::keyClicks(child<QLineEdit>(dialog, "nameEdit"), QStringLiteral("invoices"));
            QSpinBox *partitions = child<QSpinBox>(dialog, "partitionsSpin");
            partitions->selectAll();
            QTest::keyClicks(partitions, QStringLiteral("3"));
            clickOk(dialog);
        });
        QTest::mouseClick(child<QPushButton>(topics, "createTopicButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(listed(topics, QStringLiteral("invoices")), 15000);
        QTRY_COMPARE(m_ops.partitionCount("invoices"), 3);

        // Edit a config in the topic's detail pane.
        auto *detail = qobject_cast<widgets::TopicDetailPane *>(window.openPane(
            window.connections()->connectedIds().first(), QStringLiteral("topic:invoices")));
        QVERIFY(detail);
        QTableView *configs = detail->configsView();
        QTRY_VERIFY_WITH_TIMEOUT(configs->model()->rowCount() > 10, 15000);
        int row = -1;
        for (int r = 0; r < configs->model()->rowCount(); ++r)
            if (configs->model()->index(r, 0).data().toString() == QLatin1String("retention.ms"))
                row = r;
        QVERIFY(row >= 0);
        configs->setCurrentIndex(configs->model()->index(row, 0));
        whenDialogOpens([](QWidget *dialog) {
            QLineEdit *value = child<QLineEdit>(dialog, "valueEdit");
            value->clear();
            QTest::keyClicks(value, QStringLiteral("3600000"));
            clickOk(dialog);
        });
        QTest::mouseClick(child<QPushButton>(detail, "editConfigButton"), Qt::LeftButton);
        QTRY_COMPARE_WITH_TIMEOUT(
            m_ops.describe(RD_KAFKA_RESOURCE_TOPIC, "invoices")["retention.ms"].value,
            std::string("3600000"), 15000);

        // Delete it: the dialog wants the name typed.
        whenDialogOpens([](QWidget *dialog) {
            QTest::keyClicks(child<QLineEdit>(dialog, "confirmEdit"), QStringLiteral("invoices"));
            clickOk(dialog);
        });
        QTest::mouseClick(child<QPushButton>(detail, "deleteButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!m_ops.listed("invoices"), 15000);
        QTRY_VERIFY_WITH_TIMEOUT(!listed(topics, QStringLiteral("invoices")), 15000);
    }

    void welcomePaneLeadsTheWay()
    {
        app::MainWindow window(app::LaunchOptions{}, nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        auto *welcome = window.findChild<QWidget *>(QStringLiteral("welcomePane"));
        auto *title = window.findChild<QLabel *>(QStringLiteral("welcomeTitle"));
        auto *newConnection =
            window.findChild<QPushButton *>(QStringLiteral("welcomeNewConnection"));
        QVERIFY(welcome && title && newConnection);
        QVERIFY(welcome->isVisible());
        QCOMPARE(title->text(), QStringLiteral("Welcome to Periscope"));
        QVERIFY(window.findChild<QPushButton *>(QStringLiteral("welcomeLocalBroker"))->isVisible());

        // Its button opens the connection dialog; a saved connection changes the advice.
        fillConnectionDialog(QStringLiteral("Lab"), m_broker.bootstrap());
        QTest::mouseClick(newConnection, Qt::LeftButton);
        QTRY_COMPARE(window.navigator()->topLevelItemCount(), 1);
        QTRY_COMPARE(title->text(), QStringLiteral("Not connected"));

        // Connected, the panes take the centre; with every tab closed the welcome is back.
        Q_EMIT window.navigator()->itemActivated(window.navigator()->topLevelItem(0), 0);
        QTRY_VERIFY_WITH_TIMEOUT(topicsPane(window), 15000);
        QTRY_VERIFY(!welcome->isVisible());
        QVERIFY(window.tabs()->isVisible());
        while (window.tabs()->count() > 0)
            Q_EMIT window.tabs()->tabCloseRequested(0);
        QTRY_VERIFY(welcome->isVisible());
        QCOMPARE(title->text(), QStringLiteral("No pane open"));
        QVERIFY(!newConnection->isVisible());

        window.connections()->disconnectProfile(window.connections()->connectedIds().first());
        QTRY_COMPARE(title->text(), QStringLiteral("Not connected"));
        QVERIFY(newConnection->isVisible());
    }

    void readOnlyProfileOffersNoChanges()
    {
        const app::LaunchOptions options = test::readOnlyLaunch(m_broker.bootstrap());
        app::MainWindow window(options, nullptr);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(topicsPane(window), 15000);
        widgets::TopicsPane *topics = topicsPane(window);
        QTRY_VERIFY_WITH_TIMEOUT(listed(topics, QStringLiteral("payments")), 15000);
        QVERIFY(!child<QPushButton>(topics, "createTopicButton")->isEnabled());
        QWidget *detail = window.openPane(window.connections()->connectedIds().first(),
                                          QStringLiteral("topic:payments"));
        for (const char *name :
             {"editConfigButton", "deleteButton", "purgeButton", "addPartitionsButton"})
            QVERIFY2(!child<QPushButton>(detail, name)->isEnabled(), name);
    }

    void openTabsComeBackAtTheNextStart()
    {
        app::LaunchOptions options;
        options.bootstrap = m_broker.bootstrap();
        {
            app::MainWindow window(options, nullptr);
            window.show();
            QTRY_VERIFY_WITH_TIMEOUT(topicsPane(window), 15000);
            QTRY_VERIFY_WITH_TIMEOUT(listed(topicsPane(window), QStringLiteral("audit")), 15000);
            QVERIFY(window.openPane(window.connections()->connectedIds().first(),
                                    QStringLiteral("topic:audit")));
            QVERIFY(window.close()); // saves the layout
        }
        app::MainWindow again(options, nullptr);
        again.show();
        QTRY_VERIFY_WITH_TIMEOUT(again.tabs()->count() >= 3, 15000);
        QStringList titles;
        for (int i = 0; i < again.tabs()->count(); ++i)
            titles << again.tabs()->tabText(i);
        QVERIFY2(titles.contains(QStringLiteral("audit")), qPrintable(titles.join(u',')));
    }

    void brokerGoingDownIsShown()
    {
        test::TestBroker doomed;
        QVERIFY(doomed.start());
        app::LaunchOptions options;
        options.bootstrap = doomed.bootstrap();
        app::MainWindow window(options, nullptr);
        window.show();
        QTRY_VERIFY_WITH_TIMEOUT(topicsPane(window), 15000);
        auto *state = window.findChild<QLabel *>(QStringLiteral("stateLabel"));
        QTRY_VERIFY_WITH_TIMEOUT(state->text().endsWith(QStringLiteral("Connected")), 15000);
        doomed.kill();
        QTRY_VERIFY_WITH_TIMEOUT(state->text().endsWith(QStringLiteral("Broker down")), 20000);
        QVERIFY2(state->toolTip().contains(QStringLiteral("connection refused")),
                 qPrintable(state->toolTip()));
        QTRY_VERIFY(
            window.navigator()->topLevelItem(0)->text(0).endsWith(QStringLiteral("broker down")));
        // The window still closes at once with its cluster gone.
        QVERIFY(window.close());
    }

    void cleanupTestCase()
    {
        m_admin.reset();
        QVERIFY(m_broker.stop());
    }
};

QTEST_MAIN(TestConsole)
#include "tst_console.moc"
