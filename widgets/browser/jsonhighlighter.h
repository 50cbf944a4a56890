#pragma once

#include <QRegularExpression>
#include <QSyntaxHighlighter>

namespace periscope::widgets {

// Colours pretty-printed JSON: member names, strings, numbers, true/false/null.
class JsonHighlighter final : public QSyntaxHighlighter
{
    Q_OBJECT
public:
    explicit JsonHighlighter(QTextDocument *document);
    void setEnabled(bool enabled);

protected:
    void highlightBlock(const QString &text) override;

private:
    bool m_enabled = false;
    QRegularExpression m_token;
};

} // namespace periscope::widgets
