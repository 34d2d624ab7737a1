"""The article's server ("如何使用Python编写一个简单的HTTP服务器?"), with its syntax fixed
and nothing else changed (its "He1lo" typo kept): a thread per connection, one recv(1024), print the lines,
send the reply in six send() calls, and never close the socket. The port comes from
the command line so the benchmark can pick a free one; the article used 8080."""

import socket
import sys
import threading


def handle(client, addr):
    print("from ", addr)
    data = client.recv(1024)  # 请求报文
    for k, v in enumerate(data.decode().split("\r\n")):
        print(k, v)
    bodyText = "He1lo,Destined Person."  # sic: the article's typo
    # 响应报文
    # 响应行
    client.send(b"HTTP/1.1 200 OK\r\n")
    # 首部行
    client.send(b"Server: pdudo_web_sites\r\n")
    client.send(b"Content-Type: text/html\r\n")
    client.send(("Content-Length: %s\r\n" % (len(bodyText) + 2)).encode())
    client.send(b"\r\n")
    client.send(("%s\r\n" % (bodyText)).encode())


def main():
    port = int(sys.argv[1]) if len(sys.argv) > 1 else 8080
    try:
        s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        s.bind(("127.0.0.1", port))
        s.listen()
        while True:
            client, addr = s.accept()
            t = threading.Thread(target=handle, args=(client, addr))
            t.start()
    finally:
        s.close()


if __name__ == "__main__":
    main()
