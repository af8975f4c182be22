"""Locust's fastest user class, one GET per task and no wait time."""
from locust import constant, task
from locust.contrib.fasthttp import FastHttpUser


class BenchUser(FastHttpUser):
    wait_time = constant(0)

    @task
    def get(self):
        self.client.get("/bench.json")
