"""The API about the caller's own account: their API token (see it expire, rotate it, revoke it)."""

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response

from accounts.authentication import token_expires_at
from accounts.services import api_token_revoke, api_token_rotate
from core.api import ApiView
from core.net import client_ip


class MyTokenApi(ApiView):
    """The caller's own API token. Its key is shown once, when it is rotated; never read back."""

    class OutputSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MyTokenOutput"

        exists = serializers.BooleanField()
        created = serializers.DateTimeField(allow_null=True)
        expires_at = serializers.DateTimeField(allow_null=True)

    class RotatedSerializer(serializers.Serializer):
        class Meta:
            ref_name = "MyTokenRotated"

        token = serializers.CharField()
        created = serializers.DateTimeField()
        expires_at = serializers.DateTimeField()

    @extend_schema(responses={200: OutputSerializer})
    def get(self, request):
        token = Token.objects.filter(user=request.user).first()
        body = {"exists": token is not None, "created": None, "expires_at": None}
        if token is not None:
            body.update(created=token.created, expires_at=token_expires_at(token))
        return Response(self.OutputSerializer(body).data)

    @extend_schema(request=None, responses={201: RotatedSerializer})
    def post(self, request):
        token = api_token_rotate(user=request.user, actor=request.user, ip=client_ip(request))
        body = {"token": token.key, "created": token.created, "expires_at": token_expires_at(token)}
        return Response(self.RotatedSerializer(body).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={204: None})
    def delete(self, request):
        api_token_revoke(user=request.user, actor=request.user, ip=client_ip(request))
        return Response(status=status.HTTP_204_NO_CONTENT)
