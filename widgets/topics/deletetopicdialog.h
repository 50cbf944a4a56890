#pragma once

#include <QDialog>

class QLabel;
class QLineEdit;
class QPushButton;

namespace periscope::widgets {

// Confirms deleting a topic, or purging all its records, by asking the user to type
// the topic's exact name.
class DeleteTopicDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Mode { Delete, Purge };

    explicit DeleteTopicDialog(Mode mode, QWidget *parent = nullptr);

    // messages < 0: not known yet.
    void setTopic(const QString &name, int partitions, qint64 messages);

    Mode mode() const { return m_mode; }
    QString topic() const { return m_topic; }
    bool confirmed() const;

private:
    void updateTexts();

    Mode m_mode;
    QString m_topic;
    int m_partitions = 0;
    qint64 m_messages = -1;
    QLabel *m_explanation;
    QLabel *m_topicLabel;
    QLabel *m_partitionsLabel;
    QLabel *m_messagesLabel;
    QLabel *m_confirmLabel;
    QLineEdit *m_confirmEdit;
    QPushButton *m_okButton;
};

} // namespace periscope::widgets
