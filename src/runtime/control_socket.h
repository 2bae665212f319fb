// The unix-domain control socket, in Suricata's command protocol (what
// suricatasc speaks):
//   client: {"version": "0.2"}                       server: {"return": "OK"}
//   client: {"command": "NAME", "arguments": {...}}  server: {"return": "OK"|"NOK",
//                                                              "message": ...}
// Each answer ends with a newline. A server thread polls the listening
// socket and every client (several at once); commands run on that thread
// through handlers the runtime registers, one at a time. Malformed JSON, a
// message over kMaxMessageBytes, or a first message that is not the version
// handshake is answered with NOK and the client is disconnected; nothing a
// client sends can stop the server.
#pragma once
#include <rapidjson/document.h>

#include <atomic>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include "core/result.h"

namespace pasban::runtime {

struct CommandReply {
  bool ok = true;
  std::string message_json;  // the "message" value as JSON text ("" = no message)

  static CommandReply text(std::string_view s);            // OK, a string message
  static CommandReply json(std::string value_json);        // OK, any JSON value
  static CommandReply error(std::string_view s);           // NOK, a string message
};

// arguments: the request's "arguments" object, or null when it has none.
using CommandHandler = std::function<CommandReply(const rapidjson::Value* arguments)>;

class ControlSocket {
 public:
  static constexpr size_t kMaxMessageBytes = 64 * 1024;     // one request
  static constexpr size_t kMaxPendingOutput = 4 << 20;      // unread answers per client
  static constexpr size_t kMaxClients = 32;

  // Binds and listens on path. A socket file left by a dead process is
  // replaced; one that accepts connections is in use (an error).
  static core::Result<std::unique_ptr<ControlSocket>> open(const std::string& path);
  ~ControlSocket();
  ControlSocket(const ControlSocket&) = delete;
  ControlSocket& operator=(const ControlSocket&) = delete;

  // Registers a command (before start()). command-list and help are built in.
  void add(std::string name, CommandHandler handler);
  // Starts the server thread (signals blocked in it).
  void start();
  // Stops and joins the thread, closes every client, removes the socket
  // file (idempotent; the destructor calls it).
  void stop();
  const std::string& path() const { return path_; }

  // One request's answer, as the server sends it (without the newline);
  // for the server thread and tests. handshake_done is updated.
  std::string answer(std::string_view request, bool& handshake_done, bool& close_client);

 private:
  ControlSocket() = default;
  struct Client {
    int fd = -1;
    bool handshake_done = false;
    bool closing = false;  // close once `out` is sent
    std::string in, out;
  };
  void serve();
  void accept_clients();
  // Reads what is there; parses and answers every complete message.
  void read_client(Client& c);
  void write_client(Client& c);
  std::string run_command(const rapidjson::Document& doc);
  std::string command_list_json() const;

  std::string path_;
  int listen_fd_ = -1;
  int stop_fd_ = -1;
  std::map<std::string, CommandHandler> handlers_;
  std::vector<std::unique_ptr<Client>> clients_;
  std::thread thread_;
};

// Splits the first complete JSON value off `buffer` (leading whitespace
// skipped). Returns 1 with its length in `used`, 0 when more bytes are
// needed, -1 when the bytes cannot be JSON (error says why).
int next_json_message(std::string_view buffer, size_t& used, std::string& error);

}  // namespace pasban::runtime
