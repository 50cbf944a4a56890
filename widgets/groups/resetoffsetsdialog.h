#pragma once

#include "client/clustersession.h"
#include "monitor/offsetreset.h"

#include <QDialog>

class QComboBox;
class QDateTimeEdit;
class QLabel;
class QLineEdit;
class QPushButton;
class QRadioButton;
class QTableView;

namespace periscope::models {
class ResetPlanModel;
}

namespace periscope::widgets {

class SessionHold;

// Resets a group's committed offsets in two steps: Preview reads the group's state, its
// committed offsets and the partitions' log offsets and shows current → new for every
// partition; only then does "Write" commit exactly the previewed values. Kafka allows this
// only while the group is Empty: otherwise the preview says so and nothing can be written.
class ResetOffsetsDialog final : public QDialog
{
    Q_OBJECT
public:
    ResetOffsetsDialog(client::ClusterSession *session, const QString &group,
                       const QStringList &groupTopics, QWidget *parent = nullptr);

    // Empty topic: the whole group. A topic with no partitions: all of that topic's.
    void setScope(const QString &topic, const QList<int> &partitions);
    void setMode(monitor::ResetMode mode, qint64 value = 0);
    void setDateTime(const QDateTime &when);

    void preview();
    void apply();

    QList<monitor::ResetStep> plan() const { return m_plan; }
    QPushButton *previewButton() const { return m_previewButton; }
    QPushButton *applyButton() const { return m_applyButton; }
    QTableView *previewTable() const { return m_table; }
    QString message() const;

    // Closing is refused while a write is out: its outcome must be seen.
    void reject() override;

Q_SIGNALS:
    void applied(const QString &group, int partitions);

private:
    void invalidate();
    void updateInputs();
    void setMessage(const QString &text, bool error);
    void showPlan(const QList<monitor::ResetTarget> &targets);
    // Asks the broker for the group's state; calls next() only when it is Empty.
    void whenEmpty(std::function<void()> next, std::function<void()> refused = {});
    void setWriting(bool writing);
    QMap<QString, QList<int>> scopePartitions(const QList<client::GroupOffset> &committed) const;

    // The cluster's client, or null (and the dialog says why) once the session ended.
    client::ClusterClient *clientOrSay();

    SessionHold *m_hold;
    QString m_group;
    QRadioButton *m_wholeGroup;
    QRadioButton *m_oneTopic;
    QRadioButton *m_somePartitions;
    QComboBox *m_topic;
    QLabel *m_partitionsLabel;
    QComboBox *m_mode;
    QLineEdit *m_value;
    QDateTimeEdit *m_when;
    models::ResetPlanModel *m_planModel;
    QTableView *m_table;
    QLabel *m_message;
    QPushButton *m_previewButton;
    QPushButton *m_applyButton;
    QPushButton *m_cancelButton = nullptr;
    bool m_writing = false;
    QList<int> m_partitions;
    QString m_partitionsTopic;
    QList<monitor::ResetStep> m_plan;
    quint64 m_generation = 0; // an input change makes older answers stale
};

} // namespace periscope::widgets
