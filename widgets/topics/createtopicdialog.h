#pragma once

#include "client/types.h"

#include <QDialog>
#include <QHash>
#include <QSet>
#include <QStringList>

class QComboBox;
class QDialogButtonBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace periscope::widgets {

// Asks for a new topic: name (checked live against Kafka's rules and the existing
// topics), partitions, replication factor and a few configs. OK stays disabled, with
// the reason shown, until the input is acceptable.
class CreateTopicDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit CreateTopicDialog(QWidget *parent = nullptr);

    void setBrokerCount(int count);
    void setDefaultPartitions(int partitions);
    void setExistingNames(const QStringList &names);
    void setTopicName(const QString &name);

    client::NewTopic newTopic() const;
    QString problem() const { return m_problem; } // empty when OK is enabled

    static QStringList commonConfigKeys();

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void addConfigRow();
    void removeSelectedConfigRows();
    void validate();
    QString nameProblem(const QString &name) const;
    QString configProblem() const;
    QString warning(const QString &name) const;
    QList<QPair<QString, QString>> configRows() const;

    QLineEdit *m_nameEdit;
    QSpinBox *m_partitionsSpin;
    QSpinBox *m_replicationSpin;
    QLabel *m_brokersLabel;
    QTableWidget *m_configTable;
    QComboBox *m_keyCombo;
    QPushButton *m_addButton;
    QPushButton *m_removeButton;
    QLabel *m_problemLabel;
    QLabel *m_warningLabel;
    QDialogButtonBox *m_buttons;
    QPushButton *m_okButton;
    QSet<QString> m_existing;
    QHash<QString, QString> m_existingByMetricName; // '.' folded to '_'
    QString m_problem;
};

} // namespace periscope::widgets
