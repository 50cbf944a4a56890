// The consumer-group panes against a real broker and real consumers, driven like a user:
// the groups list, a group's offsets, a reset previewed and written, a reset refused while
// the group has a member, and a read-only connection that offers neither reset nor delete.
#include "connections.h"
#include "groups/groupactions.h"
#include "groups/groupdetailpane.h"
#include "groups/groupoffsetsmodel.h"
#include "groups/groupspane.h"
#include "groups/resetoffsetsdialog.h"
#include "groups/resetplanmodel.h"
#include "guitest.h"
#include "kafka.h"
#include "mainwindow.h"
#include "profiles/profilestore.h"
#include "testbroker.h"
#include "translations.h"

#include <QApplication>
#include <QComboBox>
#include <QInputDialog>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSettings>
#include <QStandardPaths>
#include <QTabWidget>
#include <QTableView>
#include <QTest>
#include <QTimer>

using namespace periscope;

namespace {

using test::child;

constexpr int kPartitions = 3;
const std::string kTopic = "orders";

// The row of `id` in the pane's (sorted, filtered) view, or -1.
int rowOf(QTableView *view, const QString &id)
{
    for (int r = 0; r < view->model()->rowCount(); ++r)
        if (view->model()->index(r, 0).data().toString() == id)
            return r;
    return -1;
}

// The committed offsets the detail pane shows, partition -> offset (-1 for "—").
QMap<int, qint64> shownCommitted(widgets::GroupDetailPane *pane)
{
    QMap<int, qint64> out;
    const models::GroupOffsetsModel *m = pane->offsetsModel();
    for (int r = 0; r < m->rowCount(); ++r)
        if (const monitor::PartitionLag *p = m->partitionAt(r))
            out.insert(p->partition, p->committed);
    return out;
}

template <typename Pane>
Pane *findPane(app::MainWindow &w)
{
    for (int i = 0; i < w.tabs()->count(); ++i)
        if (auto *p = qobject_cast<Pane *>(w.tabs()->widget(i)))
            return p;
    return nullptr;
}

} // namespace

class TestGroupPanes : public QObject
{
    Q_OBJECT

    test::TestBroker m_broker{
        {QStringLiteral("--group-initial-rebalance-delay-ms"), QStringLiteral("0")}};
    test::KafkaHandle m_live; // a member of "live" for the whole run

    // Opens the cluster's groups pane and waits until `id` is listed.
    widgets::GroupsPane *openGroups(app::MainWindow &window, const QString &id)
    {
        if (!QTest::qWaitFor([&] { return !window.connections()->connectedIds().isEmpty(); },
                             15000))
            return nullptr;
        const QString profile = window.connections()->connectedIds().first();
        auto *pane =
            qobject_cast<widgets::GroupsPane *>(window.openPane(profile, QStringLiteral("groups")));
        if (!pane || !QTest::qWaitFor([&] { return rowOf(pane->view(), id) >= 0; }, 20000))
            return nullptr;
        return pane;
    }

    // Double-clicks the group's row, as a user opens it.
    widgets::GroupDetailPane *openGroup(app::MainWindow &window, widgets::GroupsPane *pane,
                                        const QString &id)
    {
        QTableView *view = pane->view();
        const QModelIndex index = view->model()->index(rowOf(view, id), 0);
        view->scrollTo(index);
        const QPoint at = view->visualRect(index).center();
        QTest::mouseClick(view->viewport(), Qt::LeftButton, {}, at);
        QTest::mouseDClick(view->viewport(), Qt::LeftButton, {}, at);
        auto *detail = findPane<widgets::GroupDetailPane>(window);
        return detail && detail->group() == id ? detail : nullptr;
    }

    app::LaunchOptions launch() const
    {
        app::LaunchOptions options;
        options.bootstrap = m_broker.bootstrap();
        return options;
    }

    // The group's detail pane, reached as a user would: groups pane, then a double-click.
    widgets::GroupDetailPane *openDetail(app::MainWindow &window, const QString &id)
    {
        widgets::GroupsPane *groups = openGroups(window, id);
        return groups ? openGroup(window, groups, id) : nullptr;
    }

    // Clicks "Reset offsets…" and returns the dialog it opened.
    static widgets::ResetOffsetsDialog *clickReset(widgets::GroupDetailPane *detail)
    {
        QTest::mouseClick(child<QPushButton>(detail, "resetButton"), Qt::LeftButton);
        return detail->actions()->resetDialog();
    }

private Q_SLOTS:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        app::installTranslations(QCoreApplication::instance()); // English plurals, as in main()
        QVERIFY(m_broker.start());
        auto admin = test::makeAdmin(m_broker.bootstrapStd());
        QCOMPARE(test::createTopic(admin.get(), kTopic, kPartitions), std::string());
        auto producer = test::makeProducer(m_broker.bootstrapStd());
        QCOMPARE(test::produceEach(producer.get(), kTopic, kPartitions, 20), 0);

        // "pipeline" consumed part of the topic and stopped: an Empty group.
        auto member = test::joinGroup(m_broker.bootstrapStd(), "pipeline", kTopic, kPartitions);
        QVERIFY(member);
        QVERIFY(test::commitOffsets(member.get(), kTopic, {{0, 12}, {1, 15}, {2, 18}}));
        rd_kafka_consumer_close(member.get());
        member.reset();
        auto leftover = test::joinGroup(m_broker.bootstrapStd(), "leftover", kTopic, kPartitions);
        QVERIFY(leftover);
        QVERIFY(test::commitOffsets(leftover.get(), kTopic, {{0, 1}}));
        rd_kafka_consumer_close(leftover.get());
        leftover.reset();
        // "live" keeps its member: Stable.
        m_live = test::joinGroup(m_broker.bootstrapStd(), "live", kTopic, kPartitions);
        QVERIFY(m_live);
        QVERIFY(test::commitOffsets(m_live.get(), kTopic, {{0, 5}, {1, 5}, {2, 5}}));
    }

    void init()
    {
        QFile::remove(profiles::ProfileStore::defaultFilePath());
        QSettings().clear();
    }

    void resetWithPreviewUpdatesTheTable()
    {
        app::MainWindow window(launch(), nullptr);
        window.show();
        widgets::GroupsPane *groups = openGroups(window, QStringLiteral("pipeline"));
        QVERIFY(groups);
        const int row = rowOf(groups->view(), QStringLiteral("pipeline"));
        QCOMPARE(groups->view()->model()->index(row, 1).data().toString(), QStringLiteral("Empty"));
        // Lag: 20 - 12 + 20 - 15 + 20 - 18.
        QCOMPARE(groups->view()->model()->index(row, 6).data().toString(), QStringLiteral("15"));

        widgets::GroupDetailPane *detail = openGroup(window, groups, QStringLiteral("pipeline"));
        QVERIFY(detail);
        const QMap<int, qint64> before{{0, 12}, {1, 15}, {2, 18}};
        QTRY_COMPARE_WITH_TIMEOUT(shownCommitted(detail), before, 15000);

        widgets::ResetOffsetsDialog *dialog = clickReset(detail);
        QVERIFY(dialog);
        QVERIFY(QTest::qWaitForWindowExposed(dialog));
        auto *mode = child<QComboBox>(dialog, "modeCombo");
        mode->setFocus();
        // Shift by is the last mode: End selects it as the keyboard would.
        QTest::keyClick(mode, Qt::Key_End);
        QTest::keyClicks(child<QLineEdit>(dialog, "valueEdit"), QStringLiteral("-10"));
        auto *apply = child<QPushButton>(dialog, "applyButton");
        QVERIFY(!apply->isEnabled()); // nothing is written before a preview
        QTest::mouseClick(child<QPushButton>(dialog, "previewButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(apply->isEnabled(), 15000);

        // current -> new for every partition, ten back.
        const QAbstractItemModel *plan = child<QTableView>(dialog, "previewTable")->model();
        QCOMPARE(plan->rowCount(), kPartitions);
        const QMap<int, qint64> expected{{0, 2}, {1, 5}, {2, 8}};
        for (int r = 0; r < plan->rowCount(); ++r) {
            const int p = plan->index(r, models::ResetPlanModel::Partition).data().toInt();
            QCOMPARE(plan->index(r, models::ResetPlanModel::New).data().toString().toLongLong(),
                     expected.value(p));
            QCOMPARE(plan->index(r, models::ResetPlanModel::Change).data().toString(),
                     QStringLiteral("-10"));
        }
        QTest::mouseClick(apply, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!detail->actions()->resetDialog(), 15000);
        QTRY_COMPARE_WITH_TIMEOUT(shownCommitted(detail), expected, 15000);
    }

    // Both panes choose the interval of one sampler; changing it in one shows in the other.
    void samplingChoosersAgree()
    {
        app::MainWindow window(launch(), nullptr);
        window.show();
        widgets::GroupsPane *groups = openGroups(window, QStringLiteral("pipeline"));
        QVERIFY(groups);
        widgets::GroupDetailPane *detail = openGroup(window, groups, QStringLiteral("pipeline"));
        QVERIFY(detail);
        auto *inList = child<QComboBox>(groups, "samplingCombo");
        auto *inDetail = child<QComboBox>(detail, "samplingCombo");
        inList->setCurrentIndex(inList->findData(30000));
        QCOMPARE(inDetail->currentData().toInt(), 30000);
        inDetail->setCurrentIndex(inDetail->findData(5000));
        QCOMPARE(inList->currentData().toInt(), 5000);
    }

    void resetAsksForAMissingValue()
    {
        app::MainWindow window(launch(), nullptr);
        window.show();
        widgets::GroupDetailPane *detail = openDetail(window, QStringLiteral("pipeline"));
        QVERIFY(detail);
        widgets::ResetOffsetsDialog *dialog = clickReset(detail);
        QVERIFY(dialog);
        dialog->setMode(monitor::ResetMode::Offset);
        auto *value = child<QLineEdit>(dialog, "valueEdit");
        value->clear();
        QTest::keyClicks(value, QStringLiteral("12x")); // the letter is refused as typed
        QCOMPARE(value->text(), QStringLiteral("12"));
        value->clear();
        QTest::mouseClick(child<QPushButton>(dialog, "previewButton"), Qt::LeftButton);
        QVERIFY2(dialog->message().contains(QStringLiteral("Type the offset")),
                 qPrintable(dialog->message()));
        QVERIFY(!child<QPushButton>(dialog, "applyButton")->isEnabled());
        dialog->reject();
    }

    void resetRefusedWhileTheGroupHasMembers()
    {
        app::MainWindow window(launch(), nullptr);
        window.show();
        widgets::GroupDetailPane *detail = openDetail(window, QStringLiteral("live"));
        QVERIFY(detail);
        QTRY_VERIFY_WITH_TIMEOUT(detail->summaryText().startsWith(QStringLiteral("Stable")), 15000);

        widgets::ResetOffsetsDialog *dialog = clickReset(detail);
        QVERIFY(dialog);
        QTest::mouseClick(child<QPushButton>(dialog, "previewButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(
            dialog->message().contains(QStringLiteral("only while it is Empty")), 15000);
        QVERIFY(!child<QPushButton>(dialog, "applyButton")->isEnabled());
        QCOMPARE(child<QTableView>(dialog, "previewTable")->model()->rowCount(), 0);
        dialog->reject();
        const QMap<int, qint64> unchanged{{0, 5}, {1, 5}, {2, 5}};
        QCOMPARE(shownCommitted(detail), unchanged);
    }

    void quickOpenFindsAGroup()
    {
        app::MainWindow window(launch(), nullptr);
        window.show();
        QVERIFY(QTest::qWaitForWindowExposed(&window));
        QVERIFY(openGroups(window, QStringLiteral("pipeline")));
        QTest::keyClick(&window, Qt::Key_K, Qt::ControlModifier);
        QLineEdit *edit = nullptr;
        QTRY_VERIFY((edit = window.findChild<QLineEdit *>(QStringLiteral("quickOpenEdit"))) &&
                    edit->isVisible());
        QTest::keyClicks(edit, QStringLiteral("pipel"));
        QTest::keyClick(edit, Qt::Key_Return);
        QTRY_VERIFY(findPane<widgets::GroupDetailPane>(window));
        QCOMPARE(findPane<widgets::GroupDetailPane>(window)->group(), QStringLiteral("pipeline"));
    }

    void readOnlyProfileOffersNoGroupChanges()
    {
        const app::LaunchOptions options = test::readOnlyLaunch(m_broker.bootstrap());
        app::MainWindow window(options, nullptr);
        window.show();
        widgets::GroupsPane *groups = openGroups(window, QStringLiteral("pipeline"));
        QVERIFY(groups);
        QVERIFY(!groups->actions()->allowed());
        widgets::GroupDetailPane *detail = openGroup(window, groups, QStringLiteral("pipeline"));
        QVERIFY(detail);
        QVERIFY(!child<QPushButton>(detail, "resetButton")->isEnabled());
        QVERIFY(!child<QPushButton>(detail, "deleteGroupButton")->isEnabled());
        detail->actions()->resetOffsets(QStringLiteral("pipeline"), {}, {});
        QVERIFY(!detail->actions()->resetDialog());
    }

    void deleteGroupAfterTypingItsId()
    {
        app::MainWindow window(launch(), nullptr);
        window.show();
        widgets::GroupDetailPane *detail = openDetail(window, QStringLiteral("leftover"));
        QVERIFY(detail);
        QTRY_VERIFY_WITH_TIMEOUT(detail->summaryText().startsWith(QStringLiteral("Empty")), 15000);
        // The confirmation is modal: answer it from the event loop, as a user would.
        QString asked;
        QTimer::singleShot(0, [&asked] {
            QTRY_VERIFY(qobject_cast<QInputDialog *>(QApplication::activeModalWidget()));
            auto *input = qobject_cast<QInputDialog *>(QApplication::activeModalWidget());
            asked = input->labelText();
            input->setTextValue(QStringLiteral("leftover"));
            input->accept();
        });
        QTest::mouseClick(child<QPushButton>(detail, "deleteGroupButton"), Qt::LeftButton);
        QVERIFY2(asked.contains(QStringLiteral("on 1 partition of orders")), qPrintable(asked));
        QTRY_VERIFY_WITH_TIMEOUT(
            rowOf(findPane<widgets::GroupsPane>(window)->view(), QStringLiteral("leftover")) < 0,
            15000);
        QTRY_VERIFY(detail->summaryText().contains(QStringLiteral("does not exist")));
    }

    void cleanupTestCase()
    {
        if (m_live)
            rd_kafka_consumer_close(m_live.get());
        m_live.reset();
    }
};

QTEST_MAIN(TestGroupPanes)
#include "tst_grouppanes.moc"
