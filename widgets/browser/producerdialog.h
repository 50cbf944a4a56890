#pragma once

#include "client/clustersession.h"
#include "client/producer.h"
#include "common/sessionhold.h"

#include <QDialog>
#include <optional>
#include <vector>

class QCheckBox;
class QComboBox;
class QLabel;
class QLineEdit;
class QPlainTextEdit;
class QPushButton;
class QSpinBox;
class QTableWidget;

namespace periscope::widgets {

class ActionProgress;

// A count with thousands grouped ("1,000"), also in the C locale.
QString groupedNumber(qint64 n);

// Writes messages to a topic: key, value in one of several formats, headers, a count with
// {{i}} numbering, compression and acks. Send stays disabled, with the reason shown,
// while the input cannot be sent; the dialog stays open after sending so the user can
// send again. When its cluster is disconnected it says so and sends nothing more; a send
// under way is cancelled and its answer dropped.
class ProducerDialog final : public QDialog
{
    Q_OBJECT
public:
    enum class Format { Text, Json, Hex, Base64, File };

    explicit ProducerDialog(client::ClusterSession *session, QWidget *parent = nullptr);

    void setTopic(const QString &topic);
    void setMessage(const QString &topic, const std::optional<QByteArray> &key,
                    const std::optional<QByteArray> &value,
                    const std::vector<client::MessageHeader> &headers);
    // As above, a null QByteArray (isNull()) standing for a null key or value.
    void setMessage(const QString &topic, const QByteArray &key, const QByteArray &value,
                    const QList<client::MessageHeader> &headers);
    // Switches to "From file…" with the file's bytes; false (and the reason shown) when
    // the file cannot be read.
    bool loadFile(const QString &path);

    QString problem() const { return m_problem; } // empty when Send is enabled
    void send();

Q_SIGNALS:
    // Some messages reached the topic.
    void sent(const QString &topic);

private:
    void fillTopics();
    void formatChanged();
    void chooseFile();
    void addHeaderRow();
    void removeSelectedHeaderRows();
    void validate();
    QString valueProblem() const;
    QByteArray valueBytes() const;
    client::OutgoingMessage message() const;
    void report(const QString &topic, int count, const client::Result<QList<client::Delivery>> &r);
    Format format() const;

    SessionHold *m_hold;
    client::Producer *m_producer = nullptr;
    QComboBox *m_topicCombo;
    QSpinBox *m_partitionSpin;
    QLineEdit *m_keyEdit;
    QCheckBox *m_nullKeyCheck;
    QComboBox *m_formatCombo;
    QPlainTextEdit *m_valueEdit;
    QCheckBox *m_nullValueCheck;
    QLabel *m_fileLabel;
    QPushButton *m_fileButton;
    QTableWidget *m_headersTable;
    QPushButton *m_removeHeaderButton;
    QSpinBox *m_countSpin;
    QComboBox *m_compressionCombo;
    QComboBox *m_acksCombo;
    QLabel *m_problemLabel;
    ActionProgress *m_banner;
    QPushButton *m_sendButton;
    QByteArray m_fileBytes;
    QString m_fileName;
    QString m_problem;
    bool m_sending = false;
};

} // namespace periscope::widgets
