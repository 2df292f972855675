package dev.tandem.sample.chat;

import io.reactivex.rxjava3.disposables.CompositeDisposable;
import java.awt.BorderLayout;
import java.awt.Color;
import java.awt.Font;
import java.awt.event.WindowAdapter;
import java.awt.event.WindowEvent;
import java.text.SimpleDateFormat;
import java.util.Date;
import javax.swing.BorderFactory;
import javax.swing.DefaultListModel;
import javax.swing.JButton;
import javax.swing.JFrame;
import javax.swing.JLabel;
import javax.swing.JList;
import javax.swing.JPanel;
import javax.swing.JScrollPane;
import javax.swing.JTextField;
import javax.swing.JToggleButton;
import javax.swing.SwingUtilities;

/**
 * The chat window: the live message list (the user's own messages on the right, others' on the left
 * with the sender's name, each with its time; pending ones marked "sending…"), a compose box, the
 * user's name, a status bar (online or offline, messages waiting, last sync, the last sync error),
 * an offline switch, and a banner when the server needs a newer app.
 */
final class ChatWindow {
  private ChatWindow() {}

  static void open(ChatClient client) {
    SwingUtilities.invokeLater(() -> build(client));
  }

  private static void build(ChatClient client) {
    JFrame frame = new JFrame("Tandem chat — " + client.user());
    DefaultListModel<ChatMessage> model = new DefaultListModel<>();
    JList<ChatMessage> list = new JList<>(model);
    list.setCellRenderer(new MessageRenderer(client.user()));
    list.setSelectionModel(new NoSelection());

    JLabel banner = new JLabel(" ");
    banner.setOpaque(true);
    banner.setBackground(new Color(0xB0, 0x20, 0x20));
    banner.setForeground(Color.WHITE);
    banner.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
    banner.setVisible(false);

    JLabel name = new JLabel("You are " + client.user());
    name.setFont(name.getFont().deriveFont(Font.BOLD));
    JToggleButton offline = new JToggleButton("Go offline");
    client
        .status()
        .firstElement()
        .subscribe(
            s ->
                SwingUtilities.invokeLater(
                    () -> {
                      offline.setSelected(!s.online());
                      offline.setText(s.online() ? "Go offline" : "Go online");
                    }));
    offline.addActionListener(
        e -> {
          boolean off = offline.isSelected();
          offline.setText(off ? "Go online" : "Go offline");
          client.setOnline(!off);
        });
    JPanel top = new JPanel(new BorderLayout());
    top.setBorder(BorderFactory.createEmptyBorder(6, 8, 6, 8));
    top.add(name, BorderLayout.WEST);
    top.add(offline, BorderLayout.EAST);
    JPanel north = new JPanel(new BorderLayout());
    north.add(banner, BorderLayout.NORTH);
    north.add(top, BorderLayout.SOUTH);

    JTextField compose = new JTextField();
    JButton send = new JButton("Send");
    Runnable sendNow =
        () -> {
          String text = compose.getText().strip();
          if (text.isEmpty()) return;
          client.send(text);
          compose.setText("");
        };
    compose.addActionListener(e -> sendNow.run());
    send.addActionListener(e -> sendNow.run());
    JPanel composer = new JPanel(new BorderLayout(6, 0));
    composer.add(compose, BorderLayout.CENTER);
    composer.add(send, BorderLayout.EAST);
    JLabel status = new JLabel(" ");
    status.setBorder(BorderFactory.createEmptyBorder(4, 8, 4, 8));
    JPanel south = new JPanel(new BorderLayout());
    south.setBorder(BorderFactory.createEmptyBorder(6, 8, 0, 8));
    south.add(composer, BorderLayout.NORTH);
    south.add(status, BorderLayout.SOUTH);

    frame.add(north, BorderLayout.NORTH);
    frame.add(new JScrollPane(list), BorderLayout.CENTER);
    frame.add(south, BorderLayout.SOUTH);
    frame.setSize(460, 560);
    frame.setLocationByPlatform(true);
    if (Boolean.getBoolean("tandem.chat.topLeft")) frame.setLocation(0, 0);

    CompositeDisposable subscriptions = new CompositeDisposable();
    subscriptions.add(
        client
            .messages()
            .subscribe(
                messages ->
                    SwingUtilities.invokeLater(
                        () -> {
                          model.clear();
                          for (ChatMessage message : messages) model.addElement(message);
                          if (!messages.isEmpty()) list.ensureIndexIsVisible(messages.size() - 1);
                        })));
    subscriptions.add(
        client
            .status()
            .subscribe(
                s ->
                    SwingUtilities.invokeLater(
                        () ->
                            status.setText(
                                (s.stopped()
                                        ? "Sync stopped"
                                        : s.online() ? "● Online" : "○ Offline")
                                    + "   ·   "
                                    + s.pendingCount()
                                    + " waiting to send"
                                    + "   ·   last sync "
                                    + (s.lastSyncMillis() == 0
                                        ? "never"
                                        : new SimpleDateFormat("HH:mm:ss")
                                            .format(new Date(s.lastSyncMillis())))
                                    + (s.lastError() == null
                                        ? ""
                                        : "   ·   " + s.lastError().kind())))));
    subscriptions.add(
        client
            .updateNeeded()
            .subscribe(
                u ->
                    SwingUtilities.invokeLater(
                        () -> {
                          banner.setText(ChatClient.explain(u));
                          banner.setVisible(true);
                        })));
    frame.addWindowListener(
        new WindowAdapter() {
          @Override
          public void windowClosing(WindowEvent e) {
            subscriptions.dispose();
            client.close();
            frame.dispose();
          }
        });
    frame.setDefaultCloseOperation(JFrame.DISPOSE_ON_CLOSE);
    frame.setVisible(true);
  }

  /** Messages are read, not selected. */
  private static final class NoSelection extends javax.swing.DefaultListSelectionModel {
    private static final long serialVersionUID = 1L;

    @Override
    public void setSelectionInterval(int index0, int index1) {}

    @Override
    public void addSelectionInterval(int index0, int index1) {}
  }
}
