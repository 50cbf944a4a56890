#pragma once

#include <QDialog>

class QLabel;
class QSpinBox;
class QPushButton;

namespace periscope::widgets {

// Asks for a topic's new partition count. Kafka can only add partitions, so the
// minimum is one more than the current count.
class AddPartitionsDialog final : public QDialog
{
    Q_OBJECT
public:
    explicit AddPartitionsDialog(QWidget *parent = nullptr);

    void setTopic(const QString &name, int currentCount);
    int currentCount() const { return m_current; }
    int newTotal() const;

private:
    void updateSummary();

    QString m_topic;
    int m_current = 0;
    QLabel *m_topicLabel;
    QLabel *m_currentLabel;
    QSpinBox *m_totalSpin;
    QLabel *m_summaryLabel;
    QPushButton *m_okButton;
};

} // namespace periscope::widgets
