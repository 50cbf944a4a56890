#include "common/actionprogress.h"
#include "guitest.h"
#include "topics/addpartitionsdialog.h"
#include "topics/createtopicdialog.h"
#include "topics/deletetopicdialog.h"
#include "topics/editconfigdialog.h"

#include <QCheckBox>
#include <QComboBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QTest>

using namespace periscope;

namespace {

using test::child;
using test::retype;

} // namespace

class TestTopicDialogs final : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void createRejectsBadNames_data()
    {
        QTest::addColumn<QString>("name");
        QTest::addColumn<QString>("reason");
        QTest::newRow("empty") << QString() << QStringLiteral("name");
        QTest::newRow("illegal character") << QStringLiteral("bad name!") << QString();
        QTest::newRow("dot") << QStringLiteral(".") << QString();
        QTest::newRow("exists") << QStringLiteral("orders") << QStringLiteral("already exists");
        QTest::newRow("metric collision")
            << QStringLiteral("clicks.raw") << QStringLiteral("collides");
    }

    void createRejectsBadNames()
    {
        QFETCH(QString, name);
        QFETCH(QString, reason);
        widgets::CreateTopicDialog dialog;
        dialog.setExistingNames({QStringLiteral("orders"), QStringLiteral("clicks_raw")});
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));

        retype(child<QLineEdit>(&dialog, "nameEdit"), name);
        auto *problem = child<QLabel>(&dialog, "problemLabel");
        QVERIFY(!child<QPushButton>(&dialog, "okButton")->isEnabled());
        QVERIFY(problem->isVisible());
        QVERIFY(!problem->text().isEmpty());
        QVERIFY2(problem->text().contains(reason), qPrintable(problem->text()));
        QCOMPARE(dialog.problem(), problem->text());
    }

    void createAcceptsValidInput()
    {
        widgets::CreateTopicDialog dialog;
        dialog.setExistingNames({QStringLiteral("orders")});
        dialog.setBrokerCount(3);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *ok = child<QPushButton>(&dialog, "okButton");
        auto *replication = child<QSpinBox>(&dialog, "replicationSpin");
        QCOMPARE(replication->maximum(), 3);
        QCOMPARE(replication->value(), 3);

        QTest::keyClicks(child<QLineEdit>(&dialog, "nameEdit"), QStringLiteral("payments.v1"));
        QVERIFY(ok->isEnabled());
        QVERIFY(!child<QLabel>(&dialog, "problemLabel")->isVisible());
        // A '.' in the name earns Kafka's metric-name warning, which does not block.
        QVERIFY(child<QLabel>(&dialog, "warningLabel")->isVisible());

        retype(child<QSpinBox>(&dialog, "partitionsSpin"), QStringLiteral("12"));
        retype(replication, QStringLiteral("2"));

        // Add a config row from the key combo, then type its value into the opened editor.
        auto *table = child<QTableWidget>(&dialog, "configTable");
        auto *combo = child<QComboBox>(&dialog, "configKeyCombo");
        combo->setCurrentText(QStringLiteral("retention.ms"));
        QTest::mouseClick(child<QPushButton>(&dialog, "addConfigButton"), Qt::LeftButton);
        QCOMPARE(table->rowCount(), 1);
        QVERIFY(!ok->isEnabled()); // a config without a value
        QVERIFY(dialog.problem().contains(QStringLiteral("retention.ms")));
        auto *editor = table->viewport()->findChild<QLineEdit *>();
        QVERIFY(editor);
        QTest::keyClicks(editor, QStringLiteral("3600000"));
        QTest::keyClick(editor, Qt::Key_Return);
        QTRY_VERIFY(ok->isEnabled());

        // A second row typed into the editable combo, then removed again.
        retype(combo->lineEdit(), QStringLiteral("segment.ms"));
        QTest::keyClick(combo->lineEdit(), Qt::Key_Return); // adds the row, keeps the dialog
        QCOMPARE(table->rowCount(), 2);
        QVERIFY(dialog.isVisible());
        QVERIFY(!ok->isEnabled());
        table->selectRow(1);
        auto *remove = child<QPushButton>(&dialog, "removeConfigButton");
        QVERIFY(remove->isEnabled());
        QTest::mouseClick(remove, Qt::LeftButton);
        QCOMPARE(table->rowCount(), 1);
        QVERIFY(ok->isEnabled());

        const client::NewTopic topic = dialog.newTopic();
        QCOMPARE(topic.name, QStringLiteral("payments.v1"));
        QCOMPARE(topic.partitions, 12);
        QCOMPARE(topic.replicationFactor, 2);
        QCOMPARE(topic.configs.size(), 1);
        QCOMPARE(topic.configs.value(QStringLiteral("retention.ms")), QStringLiteral("3600000"));

        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void createReplicationLimitedByBrokers()
    {
        widgets::CreateTopicDialog dialog;
        dialog.setBrokerCount(1);
        dialog.setDefaultPartitions(6);
        auto *replication = child<QSpinBox>(&dialog, "replicationSpin");
        QCOMPARE(replication->maximum(), 1);
        QTest::keyClick(replication, Qt::Key_Up);
        QCOMPARE(replication->value(), 1);
        QCOMPARE(dialog.newTopic().partitions, 6);
    }

    void deleteNeedsExactName_data()
    {
        QTest::addColumn<int>("mode");
        QTest::newRow("delete") << int(widgets::DeleteTopicDialog::Mode::Delete);
        QTest::newRow("purge") << int(widgets::DeleteTopicDialog::Mode::Purge);
    }

    void deleteNeedsExactName()
    {
        QFETCH(int, mode);
        widgets::DeleteTopicDialog dialog{widgets::DeleteTopicDialog::Mode(mode)};
        dialog.setTopic(QStringLiteral("orders"), 6, 1234);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *ok = child<QPushButton>(&dialog, "okButton");
        auto *confirm = child<QLineEdit>(&dialog, "confirmEdit");
        QCOMPARE(child<QLabel>(&dialog, "partitionsLabel")->text(), QStringLiteral("6"));
        QVERIFY(child<QLabel>(&dialog, "messagesLabel")->text().contains(QStringLiteral("234")));
        const QString explanation = child<QLabel>(&dialog, "explanationLabel")->text();
        if (dialog.mode() == widgets::DeleteTopicDialog::Mode::Purge)
            QVERIFY(explanation.contains(QStringLiteral("up to the current end")));

        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("order"));
        QVERIFY(!ok->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("s"));
        QVERIFY(ok->isEnabled());
        QTest::keyClicks(confirm, QStringLiteral("x"));
        QVERIFY(!ok->isEnabled());
        retype(confirm, QStringLiteral("ORDERS"));
        QVERIFY(!ok->isEnabled());
        retype(confirm, QStringLiteral(" orders"));
        QVERIFY(!ok->isEnabled());
        retype(confirm, QStringLiteral("orders"));
        QVERIFY(ok->isEnabled());
        QVERIFY(dialog.confirmed());
        QTest::mouseClick(ok, Qt::LeftButton);
        QCOMPARE(dialog.result(), int(QDialog::Accepted));
    }

    void addPartitionsMinimum()
    {
        widgets::AddPartitionsDialog dialog;
        dialog.setTopic(QStringLiteral("orders"), 4);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *spin = child<QSpinBox>(&dialog, "partitionsSpin");
        QCOMPARE(spin->minimum(), 5);
        QCOMPARE(dialog.newTotal(), 5);
        QTest::keyClick(spin, Qt::Key_Down);
        QCOMPARE(dialog.newTotal(), 5);
        retype(spin, QStringLiteral("3"));
        QVERIFY(dialog.newTotal() >= 5);
        retype(spin, QStringLiteral("8"));
        QCOMPARE(dialog.newTotal(), 8);
        QVERIFY(child<QLabel>(&dialog, "summaryLabel")->text().contains(QStringLiteral("4")));
        QVERIFY(child<QLabel>(&dialog, "warningLabel")->text().contains(QStringLiteral("key")));
        QVERIFY(child<QPushButton>(&dialog, "okButton")->isEnabled());
    }

    void editConfigNewValueAndReset()
    {
        client::ConfigEntry entry;
        entry.name = QStringLiteral("retention.ms");
        entry.value = QStringLiteral("1000");
        entry.source = client::ConfigEntry::Source::DynamicTopic;
        widgets::EditConfigDialog dialog;
        dialog.setEntry(entry);
        dialog.show();
        QVERIFY(QTest::qWaitForWindowExposed(&dialog));
        auto *ok = child<QPushButton>(&dialog, "okButton");
        auto *value = child<QLineEdit>(&dialog, "valueEdit");
        auto *reset = child<QCheckBox>(&dialog, "resetCheck");
        QCOMPARE(child<QLineEdit>(&dialog, "nameEdit")->text(), entry.name);
        QVERIFY(child<QLineEdit>(&dialog, "nameEdit")->isReadOnly());
        QCOMPARE(child<QLineEdit>(&dialog, "currentValueEdit")->text(), entry.value);
        QCOMPARE(child<QLabel>(&dialog, "sourceLabel")->text(), entry.sourceName());

        QVERIFY(!ok->isEnabled()); // unchanged
        retype(value, QStringLiteral("86400000"));
        QVERIFY(ok->isEnabled());
        QCOMPARE(dialog.newValue(), QStringLiteral("86400000"));
        QVERIFY(!dialog.resetToDefault());

        QVERIFY(reset->isEnabled());
        reset->setFocus();
        QTest::keyClick(reset, Qt::Key_Space);
        QVERIFY(reset->isChecked());
        QVERIFY(dialog.resetToDefault());
        QVERIFY(!value->isEnabled());
        QVERIFY(ok->isEnabled());
        QVERIFY(dialog.newValue().isEmpty());
    }

    void editConfigFlags()
    {
        widgets::EditConfigDialog dialog;
        client::ConfigEntry inherited;
        inherited.name = QStringLiteral("cleanup.policy");
        inherited.value = QStringLiteral("delete");
        inherited.source = client::ConfigEntry::Source::Default;
        inherited.isDefault = true;
        dialog.setEntry(inherited);
        QVERIFY(!child<QCheckBox>(&dialog, "resetCheck")->isEnabled());
        QVERIFY(child<QLabel>(&dialog, "flagsLabel")->text().contains(QStringLiteral("default")));

        client::ConfigEntry secret;
        secret.name = QStringLiteral("ssl.key.password");
        secret.isNull = true;
        secret.sensitive = true;
        secret.source = client::ConfigEntry::Source::DynamicBroker;
        dialog.setEntry(secret, client::ConfigResource::Type::Broker);
        auto *value = child<QLineEdit>(&dialog, "valueEdit");
        QVERIFY(value->text().isEmpty());
        QVERIFY(child<QCheckBox>(&dialog, "resetCheck")->isEnabled());
        QVERIFY(!child<QPushButton>(&dialog, "okButton")->isEnabled());
        QTest::keyClicks(value, QStringLiteral("s3cret"));
        QVERIFY(child<QPushButton>(&dialog, "okButton")->isEnabled());

        client::ConfigEntry fixed;
        fixed.name = QStringLiteral("log.dirs");
        fixed.value = QStringLiteral("/var/lib/kafka");
        fixed.readOnly = true;
        fixed.source = client::ConfigEntry::Source::StaticBroker;
        dialog.setEntry(fixed, client::ConfigResource::Type::Broker);
        QVERIFY(!child<QPushButton>(&dialog, "okButton")->isEnabled());
        QVERIFY(!dialog.problem().isEmpty());
    }

    void actionProgressShowsBrokerMessageVerbatim()
    {
        widgets::ActionProgress banner;
        QVERIFY(banner.isHidden());
        banner.setBusy(QString());
        QCOMPARE(banner.state(), widgets::ActionProgress::State::Busy);
        QVERIFY(!banner.text().isEmpty());
        const QString message = QStringLiteral("Broker: <b>Topic 'x' already exists.</b>");
        banner.setResult(false, message);
        QCOMPARE(banner.state(), widgets::ActionProgress::State::Failed);
        QCOMPARE(child<QLabel>(&banner, "statusLabel")->text(), message);
        QTest::mouseClick(child<QWidget>(&banner, "dismissButton"), Qt::LeftButton);
        QCOMPARE(banner.state(), widgets::ActionProgress::State::Idle);
    }
};

QTEST_MAIN(TestTopicDialogs)
#include "tst_topicdialogs.moc"
