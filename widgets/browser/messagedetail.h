#pragma once

#include "browser/messageformat.h"
#include "client/messagebatch.h"
#include "jobs/pending.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QCheckBox;
class QPlainTextEdit;
class QStackedWidget;
class QTreeWidget;
class QPushButton;
class QTableWidget;

namespace periscope::widgets {

class JsonHighlighter;

// One message: key, value and headers, each in a chosen format. Large values are rendered
// on a worker thread, so a 50 MB value never freezes the window.
class MessageDetail final : public QWidget
{
    Q_OBJECT
public:
    explicit MessageDetail(QWidget *parent = nullptr);

    void showMessage(const client::MessageRecord &record, const QByteArray &key,
                     const QByteArray &value, const QList<client::MessageHeader> &headers);
    void clear();
    QString valueText() const;

Q_SIGNALS:
    // The value shown was cut at the browser's per-message cap; the user wants all of it.
    void wholeValueRequested(int partition, qint64 offset);

private:
    void renderKey();
    void renderValue();
    void showRendered(const models::RenderedBytes &rendered);

    QLabel *m_title;
    QComboBox *m_keyFormat;
    QComboBox *m_valueFormat;
    QPlainTextEdit *m_key;
    QPlainTextEdit *m_value;
    QTreeWidget *m_tree;
    QCheckBox *m_treeToggle;
    QStackedWidget *m_valueStack;
    JsonHighlighter *m_highlighter;
    QLabel *m_valueNote;
    QPushButton *m_wholeValue;
    int m_partition = -1;
    qint64 m_offset = -1;
    QTableWidget *m_headers;
    QByteArray m_keyBytes;
    QByteArray m_valueBytes;
    bool m_keyNull = true;
    bool m_valueNull = true;
    quint64 m_renderSerial = 0;
    jobs::Pending<models::RenderedBytes> m_rendering;
};

} // namespace periscope::widgets
